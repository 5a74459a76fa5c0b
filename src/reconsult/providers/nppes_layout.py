"""The CMS NPPES data dissemination file, version 2: its header and the columns we read.

The monthly file (``npidata_pfile_YYYYMMDD-YYYYMMDD.csv``, about 9.8 million
rows) and each weekly file have the same 330-column header. The header row is
the source of truth for column order, so the importer looks columns up by
name in the file's own header; :data:`V2_HEADER` is the layout as CMS
publishes it (NPPES Data Dissemination Readme v.2, Exhibit 2-1), used to
write test files and to tell a person what a file is missing. Research notes:
``shared/research/providers_records.md`` s.1.3-1.5.

Every value in the file is enclosed in double quotes, and CMS replaces a
double quote inside a value with a single quote, so a well-formed row has
exactly two quote characters per column and ``","`` only between columns.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEACTIVATION_DATE",
    "ENTITY_TYPE",
    "INDIVIDUAL",
    "LAST_UPDATE",
    "NPI",
    "PRACTICE",
    "REACTIVATION_DATE",
    "REQUIRED_COLUMNS",
    "TAXONOMY_SLOTS",
    "V2_HEADER",
    "taxonomy_columns",
]

TAXONOMY_SLOTS: Final = 15
OTHER_IDENTIFIER_SLOTS: Final = 50

NPI: Final = "NPI"
ENTITY_TYPE: Final = "Entity Type Code"
INDIVIDUAL: Final = "1"  # Entity Type Code 1 = Individual, 2 = Organization
LAST_UPDATE: Final = "Last Update Date"
ENUMERATION_DATE: Final = "Provider Enumeration Date"
DEACTIVATION_DATE: Final = "NPI Deactivation Date"
REACTIVATION_DATE: Final = "NPI Reactivation Date"
LAST_NAME: Final = "Provider Last Name (Legal Name)"
FIRST_NAME: Final = "Provider First Name"
MIDDLE_NAME: Final = "Provider Middle Name"
NAME_PREFIX: Final = "Provider Name Prefix Text"
NAME_SUFFIX: Final = "Provider Name Suffix Text"
CREDENTIAL: Final = "Provider Credential Text"

# The practice location (never the mailing address, which can be a home).
PRACTICE: Final = {
    "line1": "Provider First Line Business Practice Location Address",
    "line2": "Provider Second Line Business Practice Location Address",
    "city": "Provider Business Practice Location Address City Name",
    "state": "Provider Business Practice Location Address State Name",
    "postal_code": "Provider Business Practice Location Address Postal Code",
    "country": "Provider Business Practice Location Address Country Code (If outside U.S.)",
    "phone": "Provider Business Practice Location Address Telephone Number",
}


def taxonomy_columns(slot: int) -> tuple[str, str, str, str]:
    """The code, licence number, licence state and primary-switch columns of slot 1-15."""
    return (
        f"Healthcare Provider Taxonomy Code_{slot}",
        f"Provider License Number_{slot}",
        f"Provider License Number State Code_{slot}",
        f"Healthcare Provider Primary Taxonomy Switch_{slot}",
    )


def _v2_header() -> tuple[str, ...]:
    """The 330 column names of the V2 main file, in CMS's order."""
    head = [
        NPI,
        ENTITY_TYPE,
        "Replacement NPI",
        "Employer Identification Number (EIN)",
        "Provider Organization Name (Legal Business Name)",
        LAST_NAME,
        FIRST_NAME,
        MIDDLE_NAME,
        NAME_PREFIX,
        NAME_SUFFIX,
        CREDENTIAL,
        "Provider Other Organization Name",
        "Provider Other Organization Name Type Code",
        "Provider Other Last Name",
        "Provider Other First Name",
        "Provider Other Middle Name",
        "Provider Other Name Prefix Text",
        "Provider Other Name Suffix Text",
        "Provider Other Credential Text",
        "Provider Other Last Name Type Code",
        "Provider First Line Business Mailing Address",
        "Provider Second Line Business Mailing Address",
        "Provider Business Mailing Address City Name",
        "Provider Business Mailing Address State Name",
        "Provider Business Mailing Address Postal Code",
        "Provider Business Mailing Address Country Code (If outside U.S.)",
        "Provider Business Mailing Address Telephone Number",
        "Provider Business Mailing Address Fax Number",
        PRACTICE["line1"],
        PRACTICE["line2"],
        PRACTICE["city"],
        PRACTICE["state"],
        PRACTICE["postal_code"],
        PRACTICE["country"],
        PRACTICE["phone"],
        "Provider Business Practice Location Address Fax Number",
        ENUMERATION_DATE,
        LAST_UPDATE,
        "NPI Deactivation Reason Code",
        DEACTIVATION_DATE,
        REACTIVATION_DATE,
        "Provider Sex Code",
        "Authorized Official Last Name",
        "Authorized Official First Name",
        "Authorized Official Middle Name",
        "Authorized Official Title or Position",
        "Authorized Official Telephone Number",
    ]
    taxonomies = [name for slot in range(1, TAXONOMY_SLOTS + 1) for name in taxonomy_columns(slot)]
    identifiers = [
        name
        for slot in range(1, OTHER_IDENTIFIER_SLOTS + 1)
        for name in (
            f"Other Provider Identifier_{slot}",
            f"Other Provider Identifier Type Code_{slot}",
            f"Other Provider Identifier State_{slot}",
            f"Other Provider Identifier Issuer_{slot}",
        )
    ]
    tail = [
        "Is Sole Proprietor",
        "Is Organization Subpart",
        "Parent Organization LBN",
        "Parent Organization TIN",
        "Authorized Official Name Prefix Text",
        "Authorized Official Name Suffix Text",
        "Authorized Official Credential Text",
        *(f"Healthcare Provider Taxonomy Group_{slot}" for slot in range(1, TAXONOMY_SLOTS + 1)),
        "Certification Date",
    ]
    return (*head, *taxonomies, *identifiers, *tail)


V2_HEADER: Final = _v2_header()  # 330 names; tests/providers check the count and positions

# The columns the importer needs; a file without any of them is refused by name.
REQUIRED_COLUMNS: Final = (
    NPI,
    ENTITY_TYPE,
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    NAME_PREFIX,
    NAME_SUFFIX,
    CREDENTIAL,
    *PRACTICE.values(),
    ENUMERATION_DATE,
    LAST_UPDATE,
    DEACTIVATION_DATE,
    REACTIVATION_DATE,
    *(name for slot in range(1, TAXONOMY_SLOTS + 1) for name in taxonomy_columns(slot)),
)
