"""Start and stop the real `python -m bot` process against the stand-in servers."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUARD = Path(__file__).resolve().parent / "offline"


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def stop(self, timeout: float = 20.0) -> int:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"the bot did not stop on SIGTERM; log:\n{self.log}") from None

    def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()


async def start_bot(workdir: Path, env: dict[str, str], name: str = "bot") -> BotProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"{name}.log"
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
        **env,
    }
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=workdir,
            env=full_env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    return BotProcess(proc, log_path)


async def run_cli(workdir: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run `python -m bot <args>` to completion; return (exit status, output)."""
    workdir.mkdir(parents=True, exist_ok=True)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=workdir,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
            "LOG_LEVEL": "WARNING",
            **env,
        },
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, output.decode(errors="replace")
