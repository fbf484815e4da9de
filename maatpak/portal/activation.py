"""Opening a participant's portal account (My Maatpak) without a DigiD broker: a one-time
activation code (activeringscode) the consultant prints and hands over on paper.

- The code is shown once, on the page right after it is made, and stored only as a hash
  (`make_password`); it is valid for `MAATPAK_PORTAL_ACTIVATION_DAYS` days and dies after
  `MAATPAK_PORTAL_ACTIVATION_MAX_ATTEMPTS` wrong tries. A new code revokes the previous one.
- The participant enters their client number, the code and their date of birth, and chooses a
  user name and password (Django's password validators). That makes an account with the
  participant role in the participant's municipality, linked to the dossier.
- Every refusal of a code reads the same (wrong, expired, used or revoked): nobody learns which.

With a DigiD broker (docs/digid.md) the participant logs in with DigiD instead; the broker's
verified BSN finds the account this activation linked (`portal.identity`).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maatpak.accounts.models import User
from maatpak.accounts.roles import Role
from maatpak.audit.models import AuditAction
from maatpak.audit.services import audit_record
from maatpak.core.concurrency import save_versioned
from maatpak.participants.models import Participant
from maatpak.portal.models import PortalActivation
from maatpak.portal.policies import portal_participant_policy

# No 0/O, 1/I/L: the code is read from paper and typed over.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 3, 4


def activation_days() -> int:
    return settings.MAATPAK_PORTAL_ACTIVATION_DAYS


def max_attempts() -> int:
    return settings.MAATPAK_PORTAL_ACTIVATION_MAX_ATTEMPTS


def new_code() -> str:
    """A random code in groups, e.g. "K7QM-3XTA-P9RE" (about 59 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _i in range(GROUP_LENGTH)) for _g in range(GROUPS))


def normalise_code(raw: str) -> str:
    """What the participant typed, as the code was hashed: capitals, no spaces or dashes."""
    return "".join(char for char in str(raw or "").upper() if char.isalnum())


def refused() -> ValidationError:
    """The one answer for any code that does not work: wrong, expired, used, revoked or unknown."""
    return ValidationError(
        _(
            "This combination of client number, code and date of birth does not work. Check what you typed, or ask your consultant for a new code."
        )
    )


def open_activations():
    """Activation codes that can still be used: not used, not revoked, not expired, tries left."""
    return PortalActivation.objects.filter(
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        failed_attempts__lt=max_attempts(),
    )


@transaction.atomic
def activation_code_create(*, actor, participant) -> tuple[PortalActivation, str]:
    """A new activation code for `participant`'s portal account; returns the row and the code
    in plain text — to be shown once and never again. Earlier open codes are revoked."""
    portal_participant_policy.check(actor, "open_account", participant)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.user_id is not None:
        raise ValidationError(_("This participant already has an account for My Maatpak."))
    now = timezone.now()
    revoked = PortalActivation.objects.filter(participant=participant, used_at__isnull=True, revoked_at__isnull=True)
    for old in revoked:
        old.revoked_at = now
        old.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=old, detail={"revoked": True})
    code = new_code()
    activation = PortalActivation.objects.create(
        municipality_id=participant.municipality_id,
        participant=participant,
        code_hash=make_password(normalise_code(code)),
        expires_at=now + dt.timedelta(days=activation_days()),
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=activation, purpose="portal activation code")
    return activation, code


def _matching_activation(*, reference: str, birth_date, code: str):
    """The open activation whose code matches, for a participant with this client number and
    date of birth; a wrong code counts as a failed try on each candidate. None when none matches."""
    reference = (reference or "").strip()
    if not reference or birth_date is None or not code:
        return None
    candidates = Participant.objects.filter(reference=reference, birth_date=birth_date, user__isnull=True)
    activations = list(open_activations().filter(participant__in=candidates).select_for_update().order_by("-created_at"))
    plain = normalise_code(code)
    if not activations:
        # Hash once anyway, so the answer takes as long as for a real candidate with a wrong code.
        make_password(plain)
    for activation in activations:
        if check_password(plain, activation.code_hash):
            return activation
    for activation in activations:
        PortalActivation.objects.filter(pk=activation.pk).update(failed_attempts=F("failed_attempts") + 1, updated_at=timezone.now())
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=activation, purpose="portal activation code: wrong code")
    return None


def _account_errors(*, username: str, password: str, participant) -> dict:
    errors = {}
    username_field = User._meta.get_field("username")
    if not username:
        errors["username"] = _("Choose a user name.")
    else:
        try:
            username_field.run_validators(username)
            well_formed = len(username) <= username_field.max_length
        except ValidationError:
            well_formed = False
        if not well_formed:
            errors["username"] = _("Use at most 150 letters, digits and the signs @ . + - _ (no spaces).")
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = _("This user name is already taken. Choose another one.")
    candidate = User(username=username, first_name=participant.first_name, last_name=participant.last_name, email=participant.email)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    return errors


def account_activate(*, reference: str, code: str, birth_date, username: str, password: str) -> User:
    """The participant opens their account with the code from paper. Returns the new account
    (the view logs it in). Refuses every unusable code with the same message; a wrong code is
    counted even though the refusal rolls nothing else back."""
    with transaction.atomic():
        activation = _matching_activation(reference=reference, birth_date=birth_date, code=code)
    if activation is None:
        # The failed try above is committed (its own block), so the limit holds across requests.
        raise refused()
    return _activate(activation_id=activation.pk, username=(username or "").strip(), password=password)


@transaction.atomic
def _activate(*, activation_id: int, username: str, password: str) -> User:
    activation = open_activations().filter(pk=activation_id).select_for_update().first()
    participant = Participant.objects.select_for_update().filter(pk=activation.participant_id).first() if activation else None
    if activation is None or participant is None or participant.user_id is not None:
        raise refused()
    errors = _account_errors(username=username, password=password, participant=participant)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=Role.PARTICIPANT,
        first_name=participant.first_name,
        last_name=" ".join(part for part in (participant.name_prefix, participant.last_name) if part)[:150],
        email=participant.email,
    )
    user.set_password(password)
    user.save()
    user.municipalities.add(participant.municipality_id)
    participant.user = user
    save_versioned(participant, expected_version=participant.version, update_fields=["user"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at", "updated_at"])
    audit_record(
        actor=user, action=AuditAction.CREATE, obj=user, participant_id=participant.pk, municipality_id=participant.municipality_id
    )
    audit_record(actor=user, action=AuditAction.UPDATE, obj=activation, purpose="portal activation code used")
    return user
