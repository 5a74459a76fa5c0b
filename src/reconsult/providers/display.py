"""Show what CMS wrote in capitals the way a person reads it: names, addresses, phone numbers.

CMS writes NPPES names and addresses in capitals ("MARIA RIVERA-LOPEZ",
"350 5TH AVE"), which are hard to read and which some screen readers spell
out letter by letter. The web pages and the command line both use these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconsult.providers.models import Provider

__all__ = [
    "Phone",
    "address_line",
    "address_lines",
    "credential_text",
    "person_name",
    "phone",
    "readable",
]

# Words kept in capitals: Roman numerals in names, compass points and box numbers in addresses.
_KEEP = frozenset({"II", "III", "IV", "VI", "NE", "NW", "SE", "SW", "PO", "US", "USA"})
_ORDINAL = re.compile(r"\d+(ST|ND|RD|TH)")
_PIECES = re.compile(r"([A-Za-z0-9\u00C0-\u024F]+)")
_SHORT_SUFFIX = {"JR": "Jr.", "SR": "Sr."}


def _word(word: str) -> str:
    if _ORDINAL.fullmatch(word):
        return word.lower()  # 5TH -> 5th
    if any(ch.isdigit() for ch in word) or len(word) == 1 or word in _KEEP:
        return word  # 100A, a middle initial, NW
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].capitalize()  # MCDONALD -> McDonald
    return word.capitalize()


def readable(text: str | None) -> str:
    """Put text CMS wrote in capitals into ordinary case; leave mixed-case text alone."""
    if not text:
        return ""
    if any(ch.islower() for ch in text):
        return text
    return _PIECES.sub(lambda m: _word(m.group(1)), text)


def credential_text(credential: str | None) -> str:
    """'M.D., F.A.C.S.' -> 'MD, FACS'; 'MD PHD' -> 'MD, PhD'."""
    if not credential:
        return ""
    parts = [p for p in re.split(r"[,;\s]+", credential.replace(".", "")) if p]
    return ", ".join("PhD" if p.upper() == "PHD" else p.upper() for p in parts)


def person_name(provider: Provider) -> str:
    """The name as a person would say it: 'Maria Rivera-Lopez, MD'."""
    middle = readable(provider.middle_name)
    if len(middle) == 1:
        middle += "."
    name = " ".join(
        p for p in (readable(provider.first_name), middle, readable(provider.last_name)) if p
    )
    if provider.suffix:
        suffix = provider.suffix.replace(".", "").strip()
        name += " " + _SHORT_SUFFIX.get(suffix.upper(), readable(suffix))
    credential = credential_text(provider.credential)
    return f"{name}, {credential}" if credential else name


def address_lines(provider: Provider) -> tuple[str, ...]:
    """The practice address as lines: street, second line, 'New York, NY 10001'."""
    lines = [readable(provider.address_line1), readable(provider.address_line2)]
    lines.append(f"{readable(provider.city)}, {provider.state} {provider.postal_code}")
    return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Phone:
    """A phone number as shown ('(212) 555-0100') and as a tel: link target."""

    text: str
    href: str


def phone(digits: str | None) -> Phone | None:
    """Format a US phone number CMS wrote as digits; None if there is none."""
    if not digits:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        return Phone(f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", f"tel:+1{digits}")
    return Phone(digits, f"tel:{digits}")


def address_line(provider: Provider) -> str:
    """The practice address on one line: '1 Main St, New York, NY 10001'."""
    return ", ".join(address_lines(provider))
