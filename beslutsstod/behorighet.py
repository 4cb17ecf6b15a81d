"""Who may see what: the three roles, the role from an ID-token claim, and the listening address.

No Streamlit here (ui.py reads `st.user` and the server options and asks this module). The
role comes only from the identity provider's signed ID token (the claim `roll_claim`, mapped
by `roll_grupper`), never from anything else the browser sends. Without sign-in configured the
app serves only this machine (127.0.0.1) and its one local user has every role.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

LASARE, TJANSTEPERSON, FORVALTARE = "lasare", "tjansteperson", "forvaltare"
ROLLER = (LASARE, TJANSTEPERSON, FORVALTARE)  # each role sees everything the one before it sees
ROLL_NAMN = {LASARE: "Läsare", TJANSTEPERSON: "Tjänsteperson", FORVALTARE: "Förvaltare"}

# Pages (url_path) per role. The läsare view is the protected public view: only pages whose
# every table is part of the linked, jointly protected set (beslutsstod/regler/lasarvy.py, tested in
# tests/test_lasarvy.py) are offered.
LASARSIDOR = frozenset({"oversikt", "vistelsekommuner", "begrepp"})  # begrepp: the glossary, no data
FORVALTARSIDOR = frozenset({"data"})


@dataclass(frozen=True)
class Anvandare:
    """The signed-in user (or the local user when sign-in is not configured)."""

    roll: str | None  # None: signed in, but no group in the token gives a role
    sub: str
    epost: str
    namn: str
    lokal: bool = False

    def identitet(self) -> dict[str, str]:
        """What the audit log records about the user: subject and e-mail, nothing more."""
        return {"sub": self.sub, "epost": self.epost}


LOKAL_ANVANDARE = Anvandare(roll=FORVALTARE, sub="lokal", epost="", namn="Lokal användare (ingen inloggning)",
                            lokal=True)


def roll_fran_claims(claims: Mapping[str, object], claim: str, grupper: Mapping[str, str]) -> str | None:
    """The highest role that one of the claim's groups maps to; None when none does.

    The claim may hold one group (a string) or a list of groups (Entra ID's `groups`, Keycloak's
    group mapper). Unknown groups are ignored; a mapping to an unknown role is a configuration
    error and raises.
    """
    okanda = sorted({r for r in grupper.values() if r not in ROLLER})
    if okanda:
        raise ValueError(f"roll_grupper anger okända roller {okanda}; giltiga är {', '.join(ROLLER)}")
    varde = claims.get(claim)
    if varde is None:
        return None
    valda = [varde] if isinstance(varde, str) else list(varde) if isinstance(varde, (list, tuple)) else []
    roller = {grupper[g] for g in valda if isinstance(g, str) and g in grupper}
    return max(roller, key=ROLLER.index) if roller else None


def detaljerad(roll: str | None) -> bool:
    """The one decision 'detailed view or masked public view': officials and data stewards see
    unmasked figures; a läsare (and anyone without a role) sees the protected view."""
    return roll in (TJANSTEPERSON, FORVALTARE)


def far_se_sida(roll: str | None, url_path: str) -> bool:
    """Whether a role may open a page (url_path as in app.py)."""
    if roll == FORVALTARE:
        return True
    if roll == TJANSTEPERSON:
        return url_path not in FORVALTARSIDOR
    if roll == LASARE:
        return url_path in LASARSIDOR
    return False


def far_redigera_referens(roll: str | None) -> bool:
    """Editing Kartläggning's reference table (the municipalities' own rates): förvaltare only."""
    return roll == FORVALTARE


def ar_loopback(adress: str | None) -> bool:
    """Whether the server listens on this machine only. Empty/None means every interface."""
    if not adress:
        return False
    if adress.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(adress.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


OSAKER_ADRESS_TEXT = (
    "**Beslutsstödet visar inga uppgifter.** Servern lyssnar på adressen `{adress}`, så andra datorer kan nå den, "
    "men ingen inloggning är konfigurerad. Uppgifterna gäller enskilda personer och får inte visas utan "
    "inloggning.\n\n"
    "Gör något av följande och starta om:\n"
    "- Konfigurera inloggning via kommunens identitetstjänst (Microsoft Entra ID, Keycloak eller annan "
    "OpenID Connect-tjänst): ett avsnitt `[auth]` i `.streamlit/secrets.toml`, se avsnittet *Säkerhet* i README.\n"
    "- Eller låt servern lyssna bara på den här datorn: `server.address = \"127.0.0.1\"` i "
    "`.streamlit/config.toml` (standard)."
)
