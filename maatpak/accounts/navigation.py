"""The links each role sees: the start page and menu are built from this one table. Who sees a
link is not written here: each link names the permission row (`accounts.policy.PERMISSIONS`)
of the screen it leads to."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maatpak.accounts.policy import (
    ADMINISTRATION,
    AGGREGATES,
    AUDIT_LOG,
    DOSSIER,
    EMPLOYER_DESK,
    PORTAL,
    REFERRAL,
    permits,
)

# (url name, label, description, (family, action)). Every entry must resolve (tested).
NAV_ITEMS = [
    ("participants:caseload", _("Caseload"), _("Your participants, with signals that need attention."), (DOSSIER, "list_caseload")),
    (
        "participants:team",
        _("Team overview"),
        _("Caseload sizes, consultant changes and signals per consultant."),
        (DOSSIER, "view_team_overview"),
    ),
    ("providers:portal", _("Referrals"), _("Participants referred to your organisation and the reports due."), (REFERRAL, "work_on")),
    (
        "insights:monitoring",
        _("Contract monitoring"),
        _("Results, report timeliness and bonus/malus per provider."),
        (AGGREGATES, "view_monitoring"),
    ),
    (
        "insights:effectiveness",
        _("What works"),
        _("Gross and net results per instrument, provider and group."),
        (AGGREGATES, "view_effectiveness"),
    ),
    ("employers:list", _("Employers"), _("Employers, vacancies and placements."), (EMPLOYER_DESK, "view")),
    ("portal:home", _("My Maatpak"), _("Your plan, your reports and your say."), (PORTAL, "use")),
    # Participants write to their consultant: the link is for those who hold a caseload.
    ("portal:inbox", _("Messages"), _("Messages from participants in your caseload."), (DOSSIER, "hold_caseload")),
    (
        "portal:change_requests",
        _("Requests for another consultant"),
        _("Participants who asked for another consultant; each needs an answer."),
        (PORTAL, "decide_change_request"),
    ),
    (
        "surveys:council_feedback",
        _("Anonymous feedback"),
        _("What participants tell the client council, in aggregate."),
        (AGGREGATES, "view_council_feedback"),
    ),
    ("privacy:audit_log", _("Audit log"), _("Who looked at or changed which dossier."), (AUDIT_LOG, "view")),
    ("admin:index", _("Administration"), _("Municipalities, accounts, catalogues and contracts."), (ADMINISTRATION, "use_admin")),
]


def links_for(user) -> list[dict]:
    links = []
    for url_name, label, description, (family, action) in NAV_ITEMS:
        if not permits(user, family, action):
            continue
        links.append({"url": reverse(url_name), "label": label, "description": description})
    return links
