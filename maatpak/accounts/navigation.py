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
    SUBJECT_ACCESS,
    permits,
)

# (url name, label, description, (family, action)). Every entry must resolve (tested).
NAV_ITEMS = [
    ("participants:caseload", _("Caseload"), _("Your participants, with signals that need attention."), (DOSSIER, "list_caseload")),
    (
        "participants:work",
        _("Work to do"),
        _("Reports, reactions, messages and checks that wait on you, oldest first."),
        (DOSSIER, "view_work_list"),
    ),
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
        "insights:dashboard",
        _("Indicators"),
        _("Outflow, return to benefit, who gets offered what and made to measure, per quarter."),
        (AGGREGATES, "view_indicators"),
    ),
    (
        "insights:council_report",
        _("Council report"),
        _("The facts for the client council and the checklist, without any person."),
        (AGGREGATES, "view_council_report"),
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
    (
        "privacy:subject_access_lookup",
        _("Requests for access"),
        _("Everything held about a participant, for a written request (AVG art. 15)."),
        (SUBJECT_ACCESS, "handle_request"),
    ),
    ("admin:index", _("Administration"), _("Municipalities, accounts, catalogues and contracts."), (ADMINISTRATION, "use_admin")),
]


# url name -> function(user) -> how many things wait behind that link (shown in the menu). The
# apps that know what waits register here (`waiting_count`), so this module imports none of them.
WAITING_COUNTS = {}


def waiting_count(url_name: str):
    """Register `function(user) -> int` as the number waiting behind the menu link `url_name`."""

    def register(function):
        WAITING_COUNTS[url_name] = function
        return function

    return register


def links_for(user, *, counts: bool = True) -> list[dict]:
    """The menu links `user` may follow; with `counts`, how many things wait behind each."""
    links = []
    for url_name, label, description, (family, action) in NAV_ITEMS:
        if not permits(user, family, action):
            continue
        link = {"url": reverse(url_name), "label": label, "description": description}
        if counts and url_name in WAITING_COUNTS:
            link["count"] = WAITING_COUNTS[url_name](user)
        links.append(link)
    return links
