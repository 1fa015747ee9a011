"""Broadcast delivery: the persistent job runner (`engine`), the delivery port it talks to
(`ports`), the shared dataclasses (`model`) and the wiring into a running bot (`wiring`)."""
