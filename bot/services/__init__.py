"""Business rules, one module per capability; no messenger or SQL imports here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.advocacy import AdvocacyService
from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from bot.services.checklist import ChecklistService
from bot.services.dialogs import DialogService
from bot.services.interviews import InterviewService
from bot.services.ports import RuntimeState
from bot.services.privacy import InsightsService, PrivacyService
from bot.services.screening import ScreeningService
from bot.services.users import UserService
from bot.services.vacancies import VacancyService


@dataclass(slots=True)
class Services:
    users: UserService
    dialogs: DialogService
    checklist: ChecklistService
    runtime_state: RuntimeState
    vacancies: VacancyService
    applications: ApplicationService
    broadcasts: BroadcastService
    advocacy: AdvocacyService
    privacy: PrivacyService
    insights: InsightsService
    screening: ScreeningService
    interviews: InterviewService
