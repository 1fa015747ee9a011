"""Neutral conversation handlers, one module per feature."""

from __future__ import annotations

from handlers import admin, applications, checklist, review, start, vacancies
from handlers.registry import Registry


def build_registry() -> Registry:
    registry = Registry()
    for module in (start, vacancies, applications, review, checklist, admin):
        module.register(registry)
    return registry
