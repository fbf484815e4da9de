"""The links each role sees: the start page and menu are built from this one table."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.roles import Role

# (url name, label, description, roles). Every entry must resolve (tested).
NAV_ITEMS = [
    ("participants:caseload", _("Caseload"), _("Your participants, with signals that need attention."), {Role.CONSULTANT, Role.TEAM_LEAD}),
    ("participants:team", _("Team overview"), _("Caseload sizes, consultant changes and signals per consultant."), {Role.TEAM_LEAD}),
    ("providers:portal", _("Referrals"), _("Participants referred to your organisation and the reports due."), {Role.PROVIDER_STAFF}),
    (
        "insights:monitoring",
        _("Contract monitoring"),
        _("Results, report timeliness and bonus/malus per provider."),
        {Role.POLICY_OFFICER, Role.TEAM_LEAD},
    ),
    (
        "insights:effectiveness",
        _("What works"),
        _("Gross and net results per instrument, provider and group."),
        {Role.ANALYST, Role.POLICY_OFFICER},
    ),
    ("employers:list", _("Employers"), _("Employers, vacancies and placements."), {Role.JOB_COACH, Role.CONSULTANT}),
    ("portal:home", _("My Maatpak"), _("Your plan, your reports and your say."), {Role.PARTICIPANT}),
    ("portal:inbox", _("Messages"), _("Messages from participants in your caseload."), {Role.CONSULTANT}),
    (
        "portal:change_requests",
        _("Requests for another consultant"),
        _("Participants who asked for another consultant; each needs an answer."),
        {Role.TEAM_LEAD},
    ),
    (
        "surveys:council_feedback",
        _("Anonymous feedback"),
        _("What participants tell the client council, in aggregate."),
        {Role.COUNCIL_MEMBER, Role.POLICY_OFFICER},
    ),
    ("privacy:audit_log", _("Audit log"), _("Who looked at or changed which dossier."), {Role.PRIVACY_OFFICER, Role.ADMIN}),
    ("admin:index", _("Administration"), _("Municipalities, accounts, catalogues and contracts."), {Role.ADMIN}),
]


def links_for(user) -> list[dict]:
    links = []
    for url_name, label, description, roles in NAV_ITEMS:
        if user.role not in roles:
            continue
        links.append({"url": reverse(url_name), "label": label, "description": description})
    return links
