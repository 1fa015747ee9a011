"""Neutral conversation handlers, one module per feature."""

from __future__ import annotations

from handlers import (
    admin,
    applications,
    broadcast,
    checklist,
    content,
    insights,
    interview_admin,
    interview_slots,
    interviews,
    privacy,
    review,
    screening,
    start,
    team,
    vacancies,
    vacancy_admin,
)
from handlers.registry import Registry


def build_registry() -> Registry:
    registry = Registry()
    for module in (
        start,
        vacancies,
        applications,
        screening,
        interviews,
        review,
        interview_admin,
        interview_slots,
        checklist,
        content,
        team,
        admin,
        vacancy_admin,
        privacy,
        insights,
        broadcast,
    ):
        module.register(registry)
    return registry
