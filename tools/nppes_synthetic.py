"""Synthetic CMS NPPES V2 data dissemination files, for tests and the import benchmark.

Writes files that look like the real ones (research ``providers_records.md``
s.1.1-1.5): the 330-column V2 header from
:data:`reconsult.providers.nppes_layout.V2_HEADER`, every value in double
quotes (CMS turns a double quote inside a value into a single quote), ``\\n``
line endings, ``""`` for an empty value, the literal ``NULL`` in a few
licence-state cells, 9-digit ZIPs without a hyphen about half the time,
bare-digit phones, MM/DD/YYYY dates, ``US`` in the country columns of US
addresses (as CMS writes them) and another code for the few practices
abroad, deactivated NPIs as rows that are blank except for the NPI and the
deactivation date, and the primary-taxonomy switch ``Y`` outside slot 1 in
about 15% of rows.

Everything is a pure function of the seed: the same arguments give the same
bytes, whatever the number of worker processes. Each file comes with its
expected truth (which NPIs an importer should keep, which are deactivated,
where the broken lines are), so tests can assert exact imports.

As a library::

    from tools.nppes_synthetic import write_monthly_csv, write_weekly_csv, write_zip

As a script (a monthly file; ``--weekly`` also writes a weekly one against it)::

    .venv/bin/python -m tools.nppes_synthetic --rows N --out DIR [--weekly] [--zip] [--seed S]

Rows are built from pre-rendered pools of strings and joined in blocks; a
full-size monthly file (9.8 million rows, about 11 GB) takes a few minutes
with one worker process per core, in constant memory apart from the truth
sets (a few hundred thousand NPIs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import multiprocessing
import operator
import os
import random
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reconsult.providers.nppes_layout import (
    DEACTIVATION_DATE,
    ENTITY_TYPE,
    LAST_UPDATE,
    NPI,
    PRACTICE,
    REACTIVATION_DATE,
    TAXONOMY_SLOTS,
    V2_HEADER,
    taxonomy_columns,
)

__all__ = [
    "COSMETIC_CODES",
    "DEFAULT_AS_OF",
    "GENERATOR_VERSION",
    "MALFORMED_KINDS",
    "GeneratedFile",
    "MalformedLine",
    "WeeklyFile",
    "header_line",
    "load_truth",
    "luhn_ok",
    "main",
    "monthly_file_name",
    "npi_for_index",
    "save_truth",
    "weekly_file_name",
    "write_monthly_csv",
    "write_weekly_csv",
    "write_zip",
    "zip_name",
]

# Bump when the bytes for a given (rows, seed) change, so cached files are remade.
GENERATOR_VERSION = 2

# The codes an importer may keep (it decides from the knowledge base; the
# generator only plants them and reports who carries them).
COSMETIC_CODES: tuple[str, ...] = (
    "208200000X",  # plastic surgery
    "2082S0099X",  # plastic surgery within the head and neck
    "2086S0122X",  # plastic and reconstructive surgery
    "207YS0123X",  # facial plastic surgery (otolaryngology)
    "207YX0905X",  # otolaryngology/facial plastic surgery
    "207YX0007X",  # plastic surgery within the head and neck (otolaryngology)
    "207N00000X",  # dermatology
    "207NS0135X",  # procedural dermatology
    "207WX0200X",  # ophthalmic plastic and reconstructive surgery
    "204E00000X",  # oral and maxillofacial surgery
    "1223S0112X",  # dentist, oral and maxillofacial surgery
    "363A00000X",  # physician assistant
    "363AS0400X",  # physician assistant, surgical
    "363L00000X",  # nurse practitioner
    "163WS0121X",  # registered nurse, plastic surgery
)

DEFAULT_AS_OF = dt.date(2026, 11, 9)  # the end date in the monthly file's name
EPOCH = dt.date(2005, 5, 23)  # the start date in every monthly file's name
MALFORMED_KINDS: tuple[str, ...] = (
    "too_few_columns",  # the last column is missing
    "too_many_columns",  # one extra "" at the end
    "unterminated_quote",  # a value's closing quote is missing (an odd number of quotes)
    "invalid_utf8",  # Latin-1 bytes in the last name (not valid UTF-8)
    "empty_line",  # a bare "\n"
    "truncated",  # the file's last line, cut off mid-value, with no newline
)

BLOCK = 1000  # rows generated from one random stream (the unit of replay)
TASK_BLOCKS = 20  # blocks a worker renders per task (about 22 MB of CSV)
COLUMNS = len(V2_HEADER)
_COL = {name: index for index, name in enumerate(V2_HEADER)}

# NPI index spaces (see npi_for_index): disjoint, so no two sources collide.
_WEEKLY_NEW = 100_000_000  # + (seed % 400) * 200_000 + j
_MALFORMED = 180_000_000  # + a counter, per file kind and seed
_FALLBACK = 190_000_000  # a generated NPI that an explicit row already uses
_NPI_SPACE = 200_000_000

_INDIVIDUAL_SHARE = 0.75
_DEACTIVATED_SHARE = 0.036
_REACTIVATED_SHARE = 0.001
_OUTSIDE_US_SHARE = 0.0015
_NULL_STATE_SHARE = 0.0016  # about 16,500 of ~14 million licence-state cells
_PRIMARY_OUTSIDE_SLOT1 = 0.15
_LONG_FIRST_NAME = 0.0005
_LONG_ORG_NAME = 0.002
_ADDRESS_POOL = 1 << 17  # pooled practice addresses
_NAME_POOL = 1 << 15  # pooled first/middle/prefix/suffix/credential sets
_LICENCE_POOL = 1 << 16
_ORG_COSMETIC_SHARE = 0.02


# --------------------------------------------------------------------------- names and pools

_LAST = (
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ "
    "LOPEZ GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON "
    "WHITE HARRIS SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT "
    "TORRES NGUYEN HILL FLORES GREEN ADAMS NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER "
    "ROBERTS GOMEZ PHILLIPS EVANS TURNER DIAZ PARKER CRUZ EDWARDS COLLINS REYES STEWART "
    "MORRIS MORALES MURPHY COOK ROGERS GUTIERREZ ORTIZ MORGAN COOPER PETERSON BAILEY REED "
    "KELLY HOWARD RAMOS KIM COX WARD RICHARDSON WATSON BROOKS CHAVEZ WOOD JAMES BENNETT GRAY "
    "MENDOZA RUIZ HUGHES PRICE ALVAREZ CASTILLO SANDERS PATEL MYERS LONG ROSS FOSTER JIMENEZ "
    "POWELL JENKINS PERRY RUSSELL SULLIVAN BELL COLEMAN BUTLER HENDERSON BARNES GONZALES "
    "FISHER VASQUEZ SIMMONS ROMERO JORDAN PATTERSON ALEXANDER HAMILTON GRAHAM REYNOLDS "
    "GRIFFIN WALLACE MORENO WEST COLE HAYES BRYANT HERRERA GIBSON ELLIS TRAN MEDINA AGUILAR "
    "STEVENS MURRAY FORD CASTRO MARSHALL OWENS HARRISON FERNANDEZ MCDONALD WOODS WASHINGTON "
    "KENNEDY WELLS VARGAS HENRY CHEN FREEMAN WEBB TUCKER GUZMAN BURNS CRAWFORD OLSON SIMPSON "
    "PORTER HUNTER GORDON MENDEZ SILVA SHAW SNYDER MASON DIXON MUNOZ HUNT HICKS HOLMES PALMER "
    "WAGNER BLACK ROBERTSON BOYD ROSE STONE SALAZAR FOX WARREN MILLS MEYER RICE SCHMIDT GARZA "
    "DANIELS FERGUSON NICHOLS STEPHENS SOTO WEAVER RYAN GARDNER PAYNE GRANT DUNN KELLEY "
    "SPENCER HAWKINS ARNOLD PIERCE VAZQUEZ HANSEN PETERS SANTOS HART BRADLEY KNIGHT ELLIOTT "
    "CUNNINGHAM DUNCAN ARMSTRONG HUDSON CARROLL LANE RILEY ANDREWS ALVARADO RAY DELGADO "
    "BERRY PERKINS HOFFMAN JOHNSTON MATTHEWS PENA RICHARDS CONTRERAS WILLIS CARPENTER "
    "LAWRENCE SANDOVAL GUERRERO GEORGE CHAPMAN RIOS ESTRADA ORTEGA WATKINS GREENE NUNEZ "
    "WHEELER VALDEZ HARPER BURKE LARSON SANTIAGO MALDONADO MORRISON FRANKLIN CARLSON AUSTIN "
    "DOMINGUEZ CARR LAWSON JACOBS OBRIEN LYNCH SINGH VEGA BISHOP MONTGOMERY OLIVER JENSEN "
    "HARVEY WILLIAMSON GILBERT DEAN SIMS ESPINOZA HOWELL LI WONG REID HANSON LE MCCOY "
    "GARRETT BURTON FULLER WANG WEBER WELCH ROJAS LUCAS MARQUEZ FIELDS PARK YANG LITTLE "
    "BANKS PADILLA DAY WALSH BOWMAN SCHULTZ LUNA FOWLER MEJIA DAVIDSON ACOSTA BREWER MAY "
    "HOLLAND JUAREZ NEWMAN PEARSON CURTIS CORTEZ DOUGLAS SCHNEIDER JOSEPH BARRETT NAVARRO "
    "FIGUEROA KELLER AVILA WADE MOLINA STANLEY HOPKINS CAMPOS BARNETT BATES CHAMBERS "
    "CALDWELL BECK LAMBERT MIRANDA BYRD CRAIG AYALA LOWE FRAZIER POWERS NEAL LEONARD "
    "GREGORY CARRILLO SUTTON FLEMING RHODES SHELTON SCHWARTZ NORRIS JENNINGS WATTS DURAN "
    "WALTERS COHEN MCDANIEL MORAN PARKS STEELE VAUGHN BECKER HOLT DELEON BARKER TERRY HALE "
    "LEON HAIL BENSON HAYNES HORTON MILES LYONS PHAM GRAVES BUSH THORNTON WOLFE WARNER "
    "CABRERA MCKINNEY MANN ZIMMERMAN DAWSON LARA FLETCHER PAGE MCCARTHY LOVE ROBLES CERVANTES "
    "SOLIS ERICKSON REEVES CHANG KLEIN SALINAS FUENTES BALDWIN DANIEL SIMON VELASQUEZ HARDY "
    "HIGGINS AGUIRRE LIN CUMMINGS CHANDLER SHARP BARBER BOWEN OCHOA DENNIS ROBBINS LIU "
    "RAMSEY FRANCIS GRIFFITH PAUL BLAIR SHAH KAPOOR GUPTA REDDY RAO IYER SHARMA KUMAR "
    "CHOWDHURY OKAFOR ADEYEMI NWOSU MENSAH HASSAN ALI KHAN AHMED RAHMAN YILMAZ NOVAK "
    "KOWALSKI IVANOV PETROV SATO TANAKA WATANABE ITO YAMAMOTO NAKAMURA HUANG ZHANG ZHAO WU"
).split() + [
    "O'BRIEN",
    "O'CONNOR",
    "D'ANGELO",
    "MUÑOZ",
    "PEÑA",
    "NÚÑEZ",
    "SMITH-JONES",
    "GARCIA-LOPEZ",
    "VAN DER BERG",
    "DE LA CRUZ",
    "MC NEIL",
    "ST. JOHN",
]
_FIRST = (
    "JAMES MARY ROBERT PATRICIA JOHN JENNIFER MICHAEL LINDA DAVID ELIZABETH WILLIAM BARBARA "
    "RICHARD SUSAN JOSEPH JESSICA THOMAS SARAH CHRISTOPHER KAREN CHARLES LISA DANIEL NANCY "
    "MATTHEW BETTY ANTHONY SANDRA MARK MARGARET DONALD ASHLEY STEVEN KIMBERLY ANDREW EMILY "
    "PAUL DONNA JOSHUA MICHELLE KENNETH CAROL KEVIN AMANDA BRIAN MELISSA GEORGE DEBORAH "
    "TIMOTHY STEPHANIE RONALD DOROTHY JASON REBECCA EDWARD SHARON JEFFREY LAURA RYAN CYNTHIA "
    "JACOB AMY GARY KATHLEEN NICHOLAS ANGELA ERIC SHIRLEY JONATHAN BRENDA STEPHEN EMMA LARRY "
    "ANNA JUSTIN PAMELA SCOTT NICOLE BRANDON SAMANTHA BENJAMIN KATHERINE SAMUEL CHRISTINE "
    "GREGORY HELEN ALEXANDER DEBRA FRANK RACHEL PATRICK CAROLYN RAYMOND JANET JACK MARIA "
    "DENNIS CATHERINE JERRY HEATHER TYLER DIANE AARON OLIVIA JOSE JULIE ADAM JOYCE NATHAN "
    "VICTORIA HENRY KELLY ZACHARY CHRISTINA DOUGLAS LAUREN PETER JOAN KYLE EVELYN NOAH "
    "JUDITH ETHAN MEGAN JEREMY ANDREA WALTER CHERYL CHRISTIAN HANNAH KEITH JACQUELINE ROGER "
    "MARTHA TERRY MADISON AUSTIN TERESA SEAN GLORIA GERALD SARA CARL JANICE HAROLD ANN DYLAN "
    "KATHRYN ARTHUR ABIGAIL LAWRENCE SOPHIA JORDAN FRANCES JESSE JEAN BRYAN ALICE BILLY "
    "JUDY BRUCE ISABELLA GABRIEL JULIA JOE GRACE LOGAN AMBER ALBERT DENISE WILLIE DANIELLE "
    "ALAN MARILYN EUGENE BEVERLY RUSSELL CHARLOTTE VINCENT NATALIE RALPH THERESA ROY DIANA "
    "PRIYA ANIL RAJESH SANJAY DEEPA WEI MEI HUI JIN MIN SEUNG HYUN OLUWASEUN CHIDI AMARA "
    "FATIMA AHMED OMAR LAYLA YUKI HIROSHI KENJI AIKO IVAN OLGA DMITRI NATASHA"
).split() + ["JOSÉ", "MARÍA", "JESÚS", "RENÉE", "ZOË"]
_LONG_FIRST = (
    "MARIA DEL CARMEN GUADALUPE",
    "ANNA-CHRISTINA ELISABETH",
    "JEAN-BAPTISTE ALEXANDRE",
    "MARY ELIZABETH KATHERINE ANNE",
    "OLUWADAMILOLA OLUWASEYI",
    "MOHAMMED ABDULRAHMAN IBRAHIM",
    "FRANCISCO JAVIER ALEJANDRO",
    "CHRISTOPHER-MICHAEL ALEXANDER",
)
_PREFIXES = ("DR.", "DR.", "DR.", "MR.", "MS.", "MRS.", "PROF.")
_SUFFIXES = ("JR.", "SR.", "II", "III", "IV")
_CREDENTIALS = (
    ("MD", 30),
    ("M.D.", 18),
    ("DO", 5),
    ("D.O.", 2),
    ("NP", 4),
    ("FNP-C", 3),
    ("APRN", 2),
    ("PA-C", 4),
    ("RN", 4),
    ("DDS", 3),
    ("D.D.S.", 1),
    ("DMD", 1),
    ("LCSW", 3),
    ("LPC", 2),
    ("PT", 3),
    ("DPT", 2),
    ("PHARMD", 3),
    ("DC", 2),
    ("OD", 1),
    ("PHD", 2),
    ("PSYD", 1),
    ("CRNA", 1),
    ("OTR/L", 1),
    ("CCC-SLP", 1),
    ("MD, FACS", 1),
    ("M.D., PH.D.", 1),
)
_STREETS = (
    "MAIN OAK PARK PINE MAPLE CEDAR ELM WASHINGTON LAKE HILL WALNUT SPRING NORTH RIDGE "
    "CHURCH HIGHLAND MILL MEADOW FOREST RIVER SUNSET LINCOLN JACKSON FRANKLIN JEFFERSON "
    "MADISON CENTRAL MARKET BROADWAY COLLEGE UNIVERSITY MEDICAL HOSPITAL HEALTH CENTER "
    "COMMERCE INDUSTRIAL VALLEY VIEW LAUREL WILLOW CHESTNUT HICKORY DOGWOOD MAGNOLIA "
    "PEACHTREE CAMELBACK WILSHIRE MICHIGAN LEXINGTON MADISON PROFESSIONAL EXECUTIVE"
).split()
_STREET_TYPES = ("ST", "AVE", "BLVD", "RD", "DR", "LN", "WAY", "PKWY", "CT", "PL", "HWY")
_DIRECTIONS = ("N ", "S ", "E ", "W ", "NE ", "SW ")
_SUITES = ("SUITE", "STE", "STE.", "UNIT", "BLDG", "FLOOR", "# ")
_ORG_WORDS = (
    "FAMILY MEDICAL HEALTH CARE CLINIC CENTER COMMUNITY REGIONAL VALLEY COUNTY ASSOCIATES "
    "PHYSICIANS SPECIALISTS SERVICES PARTNERS GROUP PRACTICE WELLNESS PHARMACY HOME "
    "DENTAL SURGERY SURGICAL AESTHETIC DERMATOLOGY PLASTIC ORTHOPEDIC PEDIATRIC "
    "REHABILITATION THERAPY BEHAVIORAL IMAGING LABORATORY AMBULANCE HOSPICE SUPPLY VISION"
).split()
_ORG_FORMS = ("LLC", "PC", "PLLC", "INC", "INC.", "P.A.", "LLP", "CORPORATION", "LTD")
_OFFICIAL_TITLES = (
    "OWNER",
    "PRESIDENT",
    "CEO",
    "ADMINISTRATOR",
    "OFFICE MANAGER",
    "MEDICAL DIRECTOR",
    "CFO",
    "MANAGING MEMBER",
    "BILLING MANAGER",
    "PRACTICE MANAGER",
)
_ISSUERS = ("BCBS", "AETNA", "CIGNA", "UNITED HEALTHCARE", "HUMANA", "TRICARE", "MEDICARE")
_GROUP_TAXONOMIES = ("193200000X MULTI-SPECIALTY GROUP", "193400000X SINGLE SPECIALTY GROUP")

# Individuals' common codes, weighted roughly as in NPPES; codes in the
# caller's cosmetic set are removed from this pool, so the cosmetic share is
# exactly what ``cosmetic_share`` asks for.
_INDIVIDUAL_CODES = (
    ("207Q00000X", 60),  # family medicine
    ("207R00000X", 70),  # internal medicine
    ("363LF0000X", 40),  # nurse practitioner, family
    ("390200000X", 35),  # student in an organised health care education program
    ("225100000X", 35),  # physical therapist
    ("1223G0001X", 30),  # dentist, general practice
    ("174400000X", 20),  # specialist
    ("163W00000X", 30),  # registered nurse
    ("183500000X", 30),  # pharmacist
    ("101YM0800X", 20),  # counselor, mental health
    ("1041C0700X", 20),  # social worker, clinical
    ("103T00000X", 12),  # psychologist
    ("111N00000X", 12),  # chiropractor
    ("152W00000X", 8),  # optometrist
    ("235Z00000X", 10),  # speech-language pathologist
    ("225X00000X", 10),  # occupational therapist
    ("367500000X", 8),  # nurse anesthetist
    ("207RC0000X", 6),  # cardiovascular disease
    ("208D00000X", 6),  # general practice
    ("2084P0800X", 8),  # psychiatry
    ("208000000X", 12),  # pediatrics
    ("207V00000X", 8),  # obstetrics and gynecology
    ("207P00000X", 10),  # emergency medicine
    ("2085R0202X", 6),  # diagnostic radiology
    ("207L00000X", 8),  # anesthesiology
    ("363LA2200X", 6),  # nurse practitioner, adult health
    ("106H00000X", 8),  # marriage and family therapist
    ("146N00000X", 4),  # emergency medical technician
    ("133V00000X", 5),  # dietitian
    ("122300000X", 6),  # dentist
    ("213E00000X", 3),  # podiatrist
    ("207X00000X", 5),  # orthopaedic surgery
    ("208600000X", 5),  # surgery
    ("207W00000X", 4),  # ophthalmology
    ("207Y00000X", 3),  # otolaryngology
    ("363A00000X", 25),  # physician assistant (dropped when the cosmetic set holds it)
    ("363L00000X", 10),  # nurse practitioner (dropped when the cosmetic set holds it)
)
_ORGANISATION_CODES = (
    ("261QM0801X", 10),  # mental health clinic
    ("332B00000X", 10),  # durable medical equipment
    ("3336C0003X", 12),  # community pharmacy
    ("282N00000X", 3),  # general acute care hospital
    ("251E00000X", 6),  # home health
    ("261QP2300X", 8),  # primary care clinic
    ("193200000X", 8),  # multi-specialty group
    ("193400000X", 8),  # single-specialty group
    ("261QR1300X", 3),  # rural health clinic
    ("314000000X", 3),  # skilled nursing facility
    ("291U00000X", 4),  # clinical medical laboratory
    ("261Q00000X", 4),  # clinic/center
    ("3416L0300X", 3),  # land ambulance
    ("207Q00000X", 5),  # family medicine
    ("1223G0001X", 6),  # dental group
    ("261QA1903X", 2),  # ambulatory surgical
    ("261QM1300X", 3),  # multi-specialty clinic
    ("225100000X", 4),  # physical therapy practice
)
_LICENCE_PREFIXES = ("", "", "", "A", "G", "MD", "ME", "DO", "RN", "NP", "PA", "D", "C", "LIC")
_OUTSIDE_US = (  # country, city, province, postal code (none looks like a US ZIP)
    ("CA", "TORONTO", "ON", "M5V2T6"),
    ("CA", "VANCOUVER", "BC", "V6B1A1"),
    ("GB", "LONDON", "", "SW1A1AA"),
    ("JP", "TOKYO", "", "1000001"),
    ("IN", "NEW DELHI", "", "110001"),
    ("AU", "SYDNEY", "NSW", "2000"),
    ("IL", "TEL AVIV", "", "6100001"),
    ("IE", "DUBLIN", "", "D02X285"),
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _weighted(pairs: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """Expand (value, weight) pairs into a flat pool to draw from uniformly."""
    return tuple(value for value, weight in pairs for _ in range(weight))


@lru_cache(maxsize=1)
def _zip_pool() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """Active STANDARD US ZIPs with coordinates: (zip5, CITY, state, area codes)."""
    import zipcodes

    pool = []
    for entry in zipcodes.list_all():
        if (
            entry["zip_code_type"] == "STANDARD"
            and entry["active"]
            and entry["lat"]
            and entry["long"]
            and entry["country"] == "US"
        ):
            areas = tuple(entry["area_codes"]) or ("800",)
            pool.append((entry["zip_code"], entry["city"].upper(), entry["state"], areas))
    pool.sort()
    return tuple(pool)


# --------------------------------------------------------------------------- NPIs and names


def _luhn_sums() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Luhn sums of every 3-digit group: with its outer digits doubled, and with its middle one."""

    def doubled(digit: int) -> int:
        return digit * 2 - 9 if digit > 4 else digit * 2

    outer = tuple(doubled(n // 100) + (n // 10) % 10 + doubled(n % 10) for n in range(1000))
    middle = tuple(n // 100 + doubled((n // 10) % 10) + n % 10 for n in range(1000))
    return outer, middle


_LUHN_OUTER, _LUHN_MIDDLE = _luhn_sums()


def _luhn_digit(base: int) -> str:
    """The NPI check digit for a 9-digit base: Luhn over '80840' + base (CMS's rule).

    From the right, the base's 1st, 3rd, ... digits are doubled; the prefix
    80840 adds a constant 24.
    """
    total = (
        24
        + _LUHN_OUTER[base % 1000]
        + _LUHN_MIDDLE[(base // 1000) % 1000]
        + _LUHN_OUTER[base // 1_000_000]
    )
    return str((10 - total % 10) % 10)


def luhn_ok(npi: str) -> bool:
    """True if ``npi`` is 10 digits whose last one is the Luhn check digit over '80840' + NPI."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(c) for c in "80840" + npi]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def npi_for_index(index: int) -> str:
    """The NPI of a generation index (0 <= index < 200,000,000): unique, Luhn-valid, scattered.

    The 9-digit base is an affine permutation of the index over 100,000,000 to
    299,999,999, so NPIs start with 1 or 2 as real ones do.
    """
    if not 0 <= index < _NPI_SPACE:
        raise ValueError(f"NPI index out of range: {index}")
    base = 100_000_000 + (index * 7_368_787 + 12_345_678) % _NPI_SPACE
    return f"{base}{_luhn_digit(base)}"


def monthly_file_name(as_of: dt.date = DEFAULT_AS_OF) -> str:
    """CMS's name for the monthly main CSV: ``npidata_pfile_20050523-YYYYMMDD.csv``."""
    return f"npidata_pfile_{EPOCH:%Y%m%d}-{as_of:%Y%m%d}.csv"


def weekly_file_name(start: dt.date, end: dt.date) -> str:
    """CMS's name for a weekly main CSV: ``npidata_pfile_YYYYMMDD-YYYYMMDD.csv``."""
    return f"npidata_pfile_{start:%Y%m%d}-{end:%Y%m%d}.csv"


def zip_name(csv_name: str) -> str:
    """The CMS zip name for a main CSV name (monthly or weekly, told apart by the start date)."""
    stem = Path(csv_name).name.removesuffix(".csv")
    start_text, end_text = stem.removeprefix("npidata_pfile_").split("-")
    start = dt.datetime.strptime(start_text, "%Y%m%d").date()
    end = dt.datetime.strptime(end_text, "%Y%m%d").date()
    if start == EPOCH:
        return f"NPPES_Data_Dissemination_{_MONTHS[end.month - 1]}_{end.year}_V2.zip"
    return f"NPPES_Data_Dissemination_{start:%m%d%y}_{end:%m%d%y}_Weekly_V2.zip"


def header_line() -> bytes:
    """The header line: every V2 column name in double quotes, comma-separated, then ``\\n``."""
    return ('"' + '","'.join(V2_HEADER) + '"\n').encode()


def _render(fields: Sequence[str]) -> str:
    """One CSV line from 330 values (already free of double quotes and newlines)."""
    return '"' + '","'.join(fields) + '"\n'


def _render_generated(row: list[str]) -> str:
    """:func:`_render` for a generated row, whose other identifiers fill from slot 1."""
    if row[_C_OTHER_ID]:
        return '"' + '","'.join(row) + '"\n'
    head = '","'.join(row[:_C_OTHER_ID])
    return '"' + head + _NO_IDENTIFIERS + '","'.join(row[_C_AFTER_IDS:]) + '"\n'


# --------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class MalformedLine:
    """A broken line the generator put in on purpose, with its 1-based line number."""

    line: int  # line 1 is the header
    kind: str  # one of MALFORMED_KINDS
    npi: str | None  # the NPI the line carries (in no truth set); None for an empty line


@dataclass(frozen=True)
class GeneratedFile:
    """A monthly file written by :func:`write_monthly_csv`, and what an importer should make of it.

    ``expected_kept`` follows the importer's rule on well-formed rows only:
    entity type 1, active (no deactivation date, or reactivated on or after
    it) and at least one of ``cosmetic_codes`` in the 15 taxonomy-code
    columns. Some of those practise abroad (``outside_us``: a country code
    other than US and a postal code that is not a US ZIP);
    :attr:`expected_in_us` leaves them out. Malformed lines carry NPIs that
    are in no truth set, and their rows list no cosmetic code.
    """

    path: Path
    rows: int  # well-formed data lines (explicit + generated), header not counted
    lines: int  # every line, with the header and the malformed ones
    bytes: int
    seed: int
    as_of: dt.date
    cosmetic_codes: frozenset[str]
    cosmetic_share: float
    generated: int  # rows made by the generator (after the explicit ones)
    explicit_npis: tuple[str, ...]
    individuals: int  # well-formed rows with entity type 1 (deactivated rows have none)
    organisations: int
    expected_kept: frozenset[str]
    deactivated: frozenset[str]  # NPIs deactivated and not reactivated
    reactivated: frozenset[str]
    outside_us: frozenset[str]  # NPIs whose practice location is outside the US
    kept_zips: tuple[str, ...]  # sorted 5-digit practice ZIPs of expected_in_us
    malformed: tuple[MalformedLine, ...] = ()
    seconds: float = 0.0
    workers: int = 1

    @property
    def expected_in_us(self) -> frozenset[str]:
        """Expected kept NPIs whose practice has a US ZIP (the ones a distance search can place)."""
        return self.expected_kept - self.outside_us

    @property
    def malformed_lines(self) -> tuple[int, ...]:
        """The 1-based line numbers of the malformed lines, in file order."""
        return tuple(m.line for m in self.malformed)

    @property
    def bytes_per_row(self) -> float:
        """Average bytes per data line (header excluded)."""
        return (self.bytes - len(header_line())) / max(1, self.lines - 1)


@dataclass(frozen=True)
class WeeklyFile:
    """A weekly file written by :func:`write_weekly_csv`, and what applying it should do.

    ``added``: kept after the weekly but not in the base (new NPIs, or a
    cosmetic code added). ``updated``: kept before and after, with a changed
    practice address and a later Last Update Date. ``removed``: kept in the
    base and not after (deactivated, or every cosmetic code removed).
    ``stale``: rows whose Last Update Date is older than the base row's; an
    importer must ignore them (applying one would add or remove a provider).
    """

    path: Path
    rows: int
    lines: int
    bytes: int
    seed: int
    start: dt.date
    end: dt.date
    added: frozenset[str]
    updated: frozenset[str]
    removed: frozenset[str]
    deactivated: frozenset[str]  # every NPI this weekly deactivates (kept or not)
    stale: frozenset[str]
    new: frozenset[str]  # every NPI that was not in the base
    expected_kept: frozenset[str]  # base.expected_kept - removed | added
    outside_us: frozenset[str]  # base's and this file's NPIs practising abroad
    malformed: tuple[MalformedLine, ...] = ()

    @property
    def expected_in_us(self) -> frozenset[str]:
        """Expected kept NPIs after the weekly whose practice has a US ZIP."""
        return self.expected_kept - self.outside_us

    @property
    def malformed_lines(self) -> tuple[int, ...]:
        """The 1-based line numbers of the malformed lines, in file order."""
        return tuple(m.line for m in self.malformed)


def _to_json(value: Any) -> Any:
    """JSON-friendly form of a truth field."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Path | dt.date):
        return str(value)
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def save_truth(generated: GeneratedFile | WeeklyFile, path: Path) -> None:
    """Write a file's truth as JSON (used to reuse a cached file without regenerating it)."""
    data = {k: _to_json(v) for k, v in asdict(generated).items()}
    data["type"] = type(generated).__name__
    data["generator_version"] = GENERATOR_VERSION
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")


def load_truth(path: Path) -> GeneratedFile | WeeklyFile:
    """Read back what :func:`save_truth` wrote; ValueError if another generator version wrote it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.pop("generator_version", None) != GENERATOR_VERSION:
        raise ValueError(f"{path} was written by another version of the generator")
    kind = data.pop("type")
    data["path"] = Path(data["path"])
    data["malformed"] = tuple(MalformedLine(**m) for m in data["malformed"])
    if kind == "GeneratedFile":
        data["as_of"] = dt.date.fromisoformat(data["as_of"])
        data["explicit_npis"] = tuple(data["explicit_npis"])
        data["kept_zips"] = tuple(data["kept_zips"])
        for name in ("cosmetic_codes", "expected_kept", "deactivated", "reactivated", "outside_us"):
            data[name] = frozenset(data[name])
        return GeneratedFile(**data)
    data["start"] = dt.date.fromisoformat(data["start"])
    data["end"] = dt.date.fromisoformat(data["end"])
    for name in (
        "added",
        "updated",
        "removed",
        "deactivated",
        "stale",
        "new",
        "expected_kept",
        "outside_us",
    ):
        data[name] = frozenset(data[name])
    return WeeklyFile(**data)


# --------------------------------------------------------------------------- rows

_C_NPI = _COL[NPI]
_C_ENTITY = _COL[ENTITY_TYPE]
_C_ORG = _COL["Provider Organization Name (Legal Business Name)"]
_C_LAST = _COL["Provider Last Name (Legal Name)"]
_C_FIRST = _COL["Provider First Name"]
_C_MIDDLE = _COL["Provider Middle Name"]
_C_PREFIX = _COL["Provider Name Prefix Text"]
_C_SUFFIX = _COL["Provider Name Suffix Text"]
_C_CRED = _COL["Provider Credential Text"]
_C_OTHER_ORG = _COL["Provider Other Organization Name"]
_C_OTHER_ORG_TYPE = _COL["Provider Other Organization Name Type Code"]
_C_OTHER_LAST = _COL["Provider Other Last Name"]
_C_OTHER_FIRST = _COL["Provider Other First Name"]
_C_OTHER_LAST_TYPE = _COL["Provider Other Last Name Type Code"]
_C_MAIL = _COL["Provider First Line Business Mailing Address"]  # 8 columns from here
_C_PRACTICE = _COL[PRACTICE["line1"]]  # 8 columns from here
_C_ENUM = _COL["Provider Enumeration Date"]
_C_UPDATE = _COL[LAST_UPDATE]
_C_DEACT_REASON = _COL["NPI Deactivation Reason Code"]
_C_DEACT = _COL[DEACTIVATION_DATE]
_C_REACT = _COL[REACTIVATION_DATE]
_C_SEX = _COL["Provider Sex Code"]
_C_AO_LAST = _COL["Authorized Official Last Name"]
_C_AO_FIRST = _COL["Authorized Official First Name"]
_C_AO_MIDDLE = _COL["Authorized Official Middle Name"]
_C_AO_TITLE = _COL["Authorized Official Title or Position"]
_C_AO_PHONE = _COL["Authorized Official Telephone Number"]
_C_AO_PREFIX = _COL["Authorized Official Name Prefix Text"]
_C_AO_CRED = _COL["Authorized Official Credential Text"]
_C_SLOT = [tuple(_COL[c] for c in taxonomy_columns(s)) for s in range(1, TAXONOMY_SLOTS + 1)]
_C_CODES = tuple(slot[0] for slot in _C_SLOT)
_slot_codes = operator.itemgetter(*_C_CODES)  # a row's 15 taxonomy codes, as a tuple
_C_OTHER_ID = _COL["Other Provider Identifier_1"]  # 4 columns per identifier
_C_SOLE = _COL["Is Sole Proprietor"]
_C_SUBPART = _COL["Is Organization Subpart"]
_C_PARENT_LBN = _COL["Parent Organization LBN"]
_C_GROUP = _COL["Healthcare Provider Taxonomy Group_1"]
_C_CERT = _COL["Certification Date"]
_C_POSTAL = _COL[PRACTICE["postal_code"]]
_C_AFTER_IDS = _COL["Is Sole Proprietor"]  # the first column after the 200 identifier columns
_NO_IDENTIFIERS = '","' * (_C_AFTER_IDS - _C_OTHER_ID + 1)  # 200 empty identifier columns
_C_COUNTRY = _COL[PRACTICE["country"]]


class _RowMaker:
    """Builds rows as lists of 330 strings; one per process and parameter set.

    The slow parts of a row (addresses with their phones, name-and-credential
    sets, licence numbers) are pre-rendered once into pools drawn from a fixed
    seed, so a row costs a few dozen draws and slice assignments. Many
    providers share a pooled address, as providers in one clinic do.
    """

    def __init__(self, codes: frozenset[str], share: float, as_of: dt.date) -> None:
        self.codes = codes
        self.cosmetic = tuple(sorted(codes))
        self.share = share
        self.as_of = as_of
        self.individual_codes = _weighted(
            (c, w) for c, w in _INDIVIDUAL_CODES if c not in codes
        ) or _weighted(_INDIVIDUAL_CODES[:1])
        self.org_codes = _weighted((c, w) for c, w in _ORGANISATION_CODES if c not in codes) or (
            "261QM0801X",
        )
        self.zips = _zip_pool()
        self.span = (as_of - EPOCH).days  # day index of as_of
        # Dates as strings from the epoch to well after as_of (weeklies go past it).
        self.dates = tuple(
            f"{d:%m/%d/%Y}" for d in (EPOCH + dt.timedelta(days=i) for i in range(self.span + 800))
        )
        self.cert_start = (dt.date(2011, 6, 1) - EPOCH).days
        self.template = [""] * COLUMNS
        pools = random.Random(20050523)
        # Addresses are built on first use, each from its own seed, so a small
        # file does not pay for the whole pool and the pool never depends on order.
        self.addresses: list[tuple[str, ...] | None] = [None] * _ADDRESS_POOL
        self.mailing: list[tuple[str, ...] | None] = [None] * (_ADDRESS_POOL // 4)
        self.abroad = tuple(self.foreign_address(pools) for _ in range(256))
        credentials = _weighted(_CREDENTIALS)
        self.names = tuple(self.name_set(pools, credentials) for _ in range(_NAME_POOL))
        self.licences = tuple(
            f"{_LICENCE_PREFIXES[int(pools.random() * len(_LICENCE_PREFIXES))]}"
            f"{int(pools.random() * 10 ** (4 + int(pools.random() * 4)))}"
            for _ in range(_LICENCE_POOL)
        )
        self.states = tuple(z[2] for z in self.zips)

    def day(self, date: dt.date) -> int:
        """The day index of a date (days since the epoch)."""
        return (date - EPOCH).days

    def day_of(self, text: str) -> int:
        """The day index of an MM/DD/YYYY string."""
        return (dt.datetime.strptime(text, "%m/%d/%Y").date() - EPOCH).days

    # -- pools (built once)

    @staticmethod
    def phone(rng: random.Random, areas: tuple[str, ...]) -> str:
        """A bare 10-digit phone number in one of the ZIP's area codes."""
        area = areas[int(rng.random() * len(areas))]
        return f"{area}{2_000_000 + int(rng.random() * 7_999_999)}"

    @staticmethod
    def street(rng: random.Random) -> str:
        """A street line such as '1200 N MAIN ST'."""
        rand = rng.random
        r = rand()
        number = int(r * r * 19_990) + 1
        direction = _DIRECTIONS[int(rand() * len(_DIRECTIONS))] if rand() < 0.25 else ""
        street = _STREETS[int(rand() * len(_STREETS))]
        kind = _STREET_TYPES[int(rand() * len(_STREET_TYPES))]
        return f"{number} {direction}{street} {kind}"

    def us_address(self, rng: random.Random) -> tuple[str, ...]:
        """Eight practice/mailing columns (line 1 to fax) at a US ZIP; 9 digits half the time."""
        rand = rng.random
        zip5, city, state, areas = self.zips[int(rand() * len(self.zips))]
        line2 = f"{_SUITES[int(rand() * len(_SUITES))]} {int(rand() * 990) + 10}"
        postal = f"{zip5}{int(rand() * 10_000):04d}" if rand() < 0.5 else zip5
        phone = self.phone(rng, areas)
        fax = self.phone(rng, areas) if rand() < 0.3 else ""
        return (
            self.street(rng),
            line2 if rand() < 0.2 else "",
            city,
            state,
            postal,
            "US",
            phone,
            fax,
        )

    def address(self, index: int) -> tuple[str, ...]:
        """Pooled practice address ``index`` (built the first time it is asked for)."""
        address = self.addresses[index]
        if address is None:
            address = self.addresses[index] = self.us_address(random.Random(index))
        return address

    def mailing_at(self, index: int) -> tuple[str, ...]:
        """Pooled mailing address ``index`` (built the first time it is asked for)."""
        address = self.mailing[index]
        if address is None:
            address = self.mailing[index] = self.mailing_address(random.Random(-1 - index))
        return address

    def mailing_address(self, rng: random.Random) -> tuple[str, ...]:
        """A mailing address that differs from the practice: a PO box a third of the time."""
        address = list(self.us_address(rng))
        if rng.random() < 0.35:
            address[0:2] = [f"PO BOX {int(rng.random() * 9999) + 1}", ""]
        return tuple(address)

    def foreign_address(self, rng: random.Random) -> tuple[str, ...]:
        """Eight practice columns abroad: another country code, a postal code unlike a US ZIP."""
        country, city, state, postal = _OUTSIDE_US[int(rng.random() * len(_OUTSIDE_US))]
        phone = f"{int(rng.random() * 9e9) + 1_000_000_000}"
        return (self.street(rng), "", city, state, postal, country, phone, "")

    @staticmethod
    def name_set(rng: random.Random, credentials: Sequence[str]) -> tuple[str, ...]:
        """First name, middle name, prefix, suffix, credential (columns 6-10, in order)."""
        rand = rng.random
        if rand() < _LONG_FIRST_NAME:
            first = _LONG_FIRST[int(rand() * len(_LONG_FIRST))]
        else:
            first = _FIRST[int(rand() * len(_FIRST))]
        r = rand()
        middle = (
            chr(65 + int(rand() * 26))
            if r < 0.35
            else _FIRST[int(rand() * len(_FIRST))]
            if r < 0.55
            else ""
        )
        prefix = _PREFIXES[int(rand() * len(_PREFIXES))] if rand() < 0.12 else ""
        suffix = _SUFFIXES[int(rand() * len(_SUFFIXES))] if rand() < 0.03 else ""
        credential = credentials[int(rand() * len(credentials))] if rand() < 0.85 else ""
        return (first, middle, prefix, suffix, credential)

    def org_name(self, rng: random.Random) -> str:
        """A legal business name; a few are longer than V1's 70 characters (V2 allows 100)."""
        rand = rng.random
        words = 12 if rand() < _LONG_ORG_NAME else 2 + int(rand() * 3)
        name = " ".join(_ORG_WORDS[int(rand() * len(_ORG_WORDS))] for _ in range(words))
        if rand() < 0.3:
            name = f"{_LAST[int(rand() * len(_LAST))]} {name}"
        return f"{name} {_ORG_FORMS[int(rand() * len(_ORG_FORMS))]}"[:100]

    # -- per row

    def dates_for(
        self, rng: random.Random, row: list[str], new_between: tuple[int, int] | None
    ) -> int:
        """Enumeration, Last Update and Certification dates; return Last Update's day index."""
        rand = rng.random
        if new_between:
            low, high = new_between
            enumerated = updated = low + int(rand() * (high - low + 1))
        else:
            if rand() < 0.18:  # the first NPIs, enumerated in 2005-2007
                enumerated = int(rand() * 900)
            else:
                enumerated = int(rand() * self.span)
            if rand() < 0.15:
                updated = enumerated
            else:
                updated = enumerated + 1 + int((self.span - enumerated) * rand() ** 0.6)
                updated = min(updated, self.span)
        dates = self.dates
        row[_C_ENUM] = dates[enumerated]
        row[_C_UPDATE] = dates[updated]
        if updated >= self.cert_start and rand() < 0.6:
            row[_C_CERT] = dates[max(enumerated, self.cert_start, updated - 30)]
        return updated

    def taxonomies(
        self, rng: random.Random, row: list[str], state: str, individual: bool, cosmetic: bool
    ) -> None:
        """Fill 1-4 taxonomy slots, one of them primary (Y), outside slot 1 in ~15% of rows."""
        rand = rng.random
        r = rand()
        count = 1 if r < 0.55 else 2 if r < 0.80 else 3 if r < 0.92 else 4
        pool = self.individual_codes if individual else self.org_codes
        codes = [pool[int(rand() * len(pool))]]
        while len(codes) < count:
            code = pool[int(rand() * len(pool))]
            if code not in codes:
                codes.append(code)
        if cosmetic:
            codes[int(rand() * count)] = self.cosmetic[int(rand() * len(self.cosmetic))]
        primary = 0
        if count > 1 and rand() < _PRIMARY_OUTSIDE_SLOT1 / 0.45:
            primary = 1 + int(rand() * (count - 1))
        licensed = individual and rand() < 0.88
        licences = self.licences
        for slot, code in enumerate(codes):
            c_code, c_number, c_state, c_switch = _C_SLOT[slot]
            row[c_code] = code
            row[c_switch] = "Y" if slot == primary else "N"
            if licensed:
                if code != "390200000X":
                    row[c_number] = licences[int(rand() * _LICENCE_POOL)]
                r = rand()
                if r < _NULL_STATE_SHARE:
                    row[c_state] = "NULL"
                elif r < 0.1 or not state:
                    row[c_state] = self.states[int(rand() * len(self.states))]
                else:
                    row[c_state] = state

    def row(
        self,
        rng: random.Random,
        npi: str,
        *,
        new_between: tuple[int, int] | None = None,
        us_only: bool = False,
    ) -> list[str]:
        """One row: individual (~75%), organisation, or deactivated (~3.6%) for ``npi``."""
        rand = rng.random
        row = self.template[:]
        row[_C_NPI] = npi
        if new_between is None and rand() < _DEACTIVATED_SHARE:
            row[_C_DEACT] = self.dates[int(rand() * self.span)]
            return row
        if not us_only and rand() < _OUTSIDE_US_SHARE:
            practice = self.abroad[int(rand() * len(self.abroad))]
        else:
            practice = self.address(int(rand() * _ADDRESS_POOL))
        row[_C_PRACTICE : _C_PRACTICE + 8] = practice
        if rand() < 0.6 and practice[5] == "US":
            row[_C_MAIL : _C_MAIL + 8] = practice
        else:
            row[_C_MAIL : _C_MAIL + 8] = self.mailing_at(int(rand() * len(self.mailing)))
        state = practice[3]
        individual = rand() < _INDIVIDUAL_SHARE
        if individual:
            row[_C_ENTITY] = "1"
            row[_C_LAST] = _LAST[int(rand() * len(_LAST))]
            row[_C_FIRST : _C_FIRST + 5] = self.names[int(rand() * _NAME_POOL)]
            if rand() < 0.05:
                row[_C_OTHER_LAST] = _LAST[int(rand() * len(_LAST))]
                row[_C_OTHER_FIRST] = row[_C_FIRST]
                row[_C_OTHER_LAST_TYPE] = "1"
            row[_C_SEX] = "F" if rand() < 0.55 else "M"
            r = rand()
            row[_C_SOLE] = "N" if r < 0.7 else "Y" if r < 0.9 else "X"
            if rand() < 0.02:
                row[_C_GROUP] = _GROUP_TAXONOMIES[int(rand() * 2)]
            cosmetic = rand() < self.share
        else:
            row[_C_ENTITY] = "2"
            row[_C_ORG] = self.org_name(rng)
            if rand() < 0.1:
                row[_C_OTHER_ORG] = self.org_name(rng)
                row[_C_OTHER_ORG_TYPE] = "3"
            row[_C_AO_LAST] = _LAST[int(rand() * len(_LAST))]
            row[_C_AO_FIRST] = _FIRST[int(rand() * len(_FIRST))]
            if rand() < 0.3:
                row[_C_AO_MIDDLE] = chr(65 + int(rand() * 26))
            row[_C_AO_TITLE] = _OFFICIAL_TITLES[int(rand() * len(_OFFICIAL_TITLES))]
            row[_C_AO_PHONE] = practice[6]
            if rand() < 0.2:
                row[_C_AO_PREFIX] = "DR."
                row[_C_AO_CRED] = "MD"
            if rand() < 0.15:
                row[_C_SUBPART] = "Y"
                row[_C_PARENT_LBN] = self.org_name(rng)
            else:
                row[_C_SUBPART] = "N"
            cosmetic = rand() < _ORG_COSMETIC_SHARE
        self.taxonomies(rng, row, state, individual, cosmetic)
        r = rand()
        if r < 0.25:  # one or two other identifiers (Medicaid numbers and the like)
            for k in range(1 if r < 0.19 else 2):
                base = _C_OTHER_ID + 4 * k
                row[base] = str(int(rand() * 99_999_999))
                if rand() < 0.6:
                    row[base + 1] = "05"  # MEDICAID
                    row[base + 2] = state or "NY"
                else:
                    row[base + 1] = "01"  # OTHER
                    row[base + 3] = _ISSUERS[int(rand() * len(_ISSUERS))]
        updated = self.dates_for(rng, row, new_between)
        if new_between is None and rand() < _REACTIVATED_SHARE / (1 - _DEACTIVATED_SHARE):
            deactivated = max(0, updated - 30 - int(rand() * 2000))
            row[_C_DEACT] = self.dates[deactivated]
            row[_C_REACT] = self.dates[min(self.span, deactivated + 30 + int(rand() * 600))]
        return row


@lru_cache(maxsize=8)
def _maker(codes: frozenset[str], share: float, as_of: dt.date) -> _RowMaker:
    """The row maker for a parameter set (cached per process)."""
    return _RowMaker(codes, share, as_of)


@dataclass
class _Facts:
    """What one stretch of rows holds (merged across tasks)."""

    kept: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    outside_us: list[str] = field(default_factory=list)
    kept_zips: set[str] = field(default_factory=set)
    individuals: int = 0
    organisations: int = 0

    def add(self, row: Sequence[str], codes: frozenset[str]) -> None:
        """Record one well-formed row."""
        npi = row[_C_NPI]
        entity = row[_C_ENTITY]
        deactivated = _deactivated(row)
        if deactivated:
            self.deactivated.append(npi)
        elif row[_C_DEACT]:
            self.reactivated.append(npi)
        abroad = _abroad(row)
        if abroad:
            self.outside_us.append(npi)
        if entity == "1":
            self.individuals += 1
            if not deactivated and not codes.isdisjoint(_slot_codes(row)):
                self.kept.append(npi)
                if not abroad:
                    self.kept_zips.add(row[_C_POSTAL][:5])
        elif entity == "2":
            self.organisations += 1

    def merge(self, other: _Facts) -> None:
        """Add another stretch's facts to these."""
        self.kept += other.kept
        self.deactivated += other.deactivated
        self.reactivated += other.reactivated
        self.outside_us += other.outside_us
        self.kept_zips |= other.kept_zips
        self.individuals += other.individuals
        self.organisations += other.organisations


def _parse_date(text: str) -> dt.date | None:
    """MM/DD/YYYY to a date; None when empty or unreadable."""
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date() if text else None
    except ValueError:
        return None


def _deactivated(row: Sequence[str]) -> bool:
    """Deactivated: a deactivation date and no reactivation on or after it."""
    if not row[_C_DEACT]:
        return False
    deactivated, reactivated = _parse_date(row[_C_DEACT]), _parse_date(row[_C_REACT])
    return reactivated is None or deactivated is None or reactivated < deactivated


def _abroad(row: Sequence[str]) -> bool:
    """Practice location outside the US (a country code other than US)."""
    country = row[_C_COUNTRY]
    return bool(country) and country != "US"


def _kept(row: Sequence[str], codes: frozenset[str]) -> bool:
    """The importer's rule: an active individual listing a kept code."""
    if row[_C_ENTITY] != "1" or _deactivated(row):
        return False
    return not codes.isdisjoint(_slot_codes(row))


def _explicit_row(values: Mapping[str, str]) -> list[str]:
    """An explicit row from column-name keys, the rest empty; quotes become single quotes."""
    row = [""] * COLUMNS
    for name, value in values.items():
        if name not in _COL:
            raise ValueError(f"not a V2 column: {name!r}")
        text = str(value)
        if "\n" in text or "\r" in text:
            raise ValueError(f"a value in {name!r} holds a line break")
        row[_COL[name]] = text.replace('"', "'")
    if not row[_C_NPI]:
        raise ValueError("every explicit row needs an NPI")
    return row


def _malformed_line(kind: str, row: list[str]) -> bytes:
    """A broken line of the given kind built from a well-formed row."""
    if kind == "too_few_columns":
        return _render(row[:-1]).encode()
    if kind == "too_many_columns":
        return _render([*row, ""]).encode()
    if kind == "unterminated_quote":
        text = _render(row)
        cut = len('"' + '","'.join(row[: _C_LAST + 1]))  # the last name's closing quote
        return (text[:cut] + text[cut + 1 :]).encode()
    if kind == "invalid_utf8":
        row = row[:]
        row[_C_LAST] = "\x00"
        text = _render(row).encode()
        return text.replace(b"\x00", "MÜLLER".encode("latin-1"))
    if kind == "empty_line":
        return b"\n"
    if kind == "truncated":
        text = _render(row).encode()
        return text[: int(len(text) * 0.4)]
    raise ValueError(f"unknown malformed kind {kind!r}; choose from {', '.join(MALFORMED_KINDS)}")


def _malformed_source(maker: _RowMaker, rng: random.Random, npi: str) -> list[str]:
    """A source row for a broken line: an individual with no kept code (no truth depends on it)."""
    while True:
        row = maker.row(rng, npi, us_only=True)
        if row[_C_ENTITY] == "1" and not any(row[c] in maker.codes for c in _C_CODES):
            return row


def _block_rng(seed: int, block: int) -> random.Random:
    """The random stream of one block of generated rows."""
    return random.Random((seed << 40) | block)


def _generated_npi(index: int, explicit: frozenset[str]) -> str:
    """The NPI of generated row ``index``, moved to a spare range if an explicit row has it."""
    npi = npi_for_index(index)
    spare = _FALLBACK + index % 10_000_000
    while npi in explicit:
        npi = npi_for_index(spare)
        spare = _FALLBACK + (spare + 1 - _FALLBACK) % 10_000_000
    return npi


@dataclass(frozen=True)
class _Task:
    """A stretch of generated rows for one worker, with the broken lines that go inside it."""

    seed: int
    codes: frozenset[str]
    share: float
    as_of: dt.date
    explicit: frozenset[str]
    first_block: int
    blocks: int
    total: int  # generated rows in the whole file
    breaks: tuple[tuple[int, str, str], ...]  # (insert before generated row, kind, npi)


def _run_task(task: _Task) -> tuple[bytes, _Facts]:
    """Render one task's rows (and its broken lines) to bytes, with their facts."""
    collecting = gc.isenabled()
    gc.disable()  # rows make no reference cycles; collection would only cost time
    try:
        return _render_task(task)
    finally:
        if collecting:
            gc.enable()


def _render_task(task: _Task) -> tuple[bytes, _Facts]:
    """The body of :func:`_run_task`."""
    maker = _maker(task.codes, task.share, task.as_of)
    facts = _Facts()
    parts: list[bytes] = []
    text: list[str] = []
    breaks = list(task.breaks)
    stop = min(task.total, (task.first_block + task.blocks) * BLOCK)
    for block in range(task.first_block, task.first_block + task.blocks):
        rng = _block_rng(task.seed, block)
        for index in range(block * BLOCK, min(stop, (block + 1) * BLOCK)):
            while breaks and breaks[0][0] == index:
                _, kind, npi = breaks.pop(0)
                parts.append("".join(text).encode())
                text.clear()
                source = _malformed_source(maker, random.Random(f"{task.seed}:{npi}"), npi)
                parts.append(_malformed_line(kind, source))
            row = maker.row(rng, _generated_npi(index, task.explicit))
            facts.add(row, task.codes)
            text.append(_render_generated(row))
    parts.append("".join(text).encode())
    return b"".join(parts), facts


def _plan_breaks(
    kinds: Sequence[str], generated: int, seed: int, npi_base: int
) -> list[tuple[int, str, str]]:
    """Where each broken line goes: (insert before generated row, kind, npi), in file order.

    Broken lines are spread evenly through the generated rows; a truncated
    line always goes last (it has no newline).
    """
    for kind in kinds:
        if kind not in MALFORMED_KINDS:
            choices = ", ".join(MALFORMED_KINDS)
            raise ValueError(f"unknown malformed kind {kind!r}; choose from {choices}")
    inside = [k for k in kinds if k != "truncated"]
    plan = []
    for j, kind in enumerate(inside):
        position = (j + 1) * generated // (len(inside) + 1)
        npi = None if kind == "empty_line" else npi_for_index(npi_base + seed % 1000 * 1000 + j)
        plan.append((position, kind, npi or ""))
    for j, kind in enumerate(k for k in kinds if k == "truncated"):
        npi = npi_for_index(npi_base + seed % 1000 * 1000 + 500 + j)
        plan.append((generated + 1, kind, npi))  # after everything
    return plan


def _line_numbers(
    plan: Sequence[tuple[int, str, str]], explicit: int, generated: int
) -> tuple[MalformedLine, ...]:
    """The line number of each planned broken line (header = line 1; the plan is in file order)."""
    return tuple(
        MalformedLine(
            line=2 + explicit + min(position, generated) + earlier, kind=kind, npi=npi or None
        )
        for earlier, (position, kind, npi) in enumerate(plan)
    )


def _tasks(
    *,
    generated: int,
    seed: int,
    codes: frozenset[str],
    share: float,
    as_of: dt.date,
    explicit: frozenset[str],
    plan: Sequence[tuple[int, str, str]],
) -> Iterator[_Task]:
    """Split the generated rows into worker tasks of TASK_BLOCKS blocks."""
    blocks = math.ceil(generated / BLOCK)
    for first in range(0, blocks, TASK_BLOCKS):
        low, high = first * BLOCK, min(generated, (first + TASK_BLOCKS) * BLOCK)
        yield _Task(
            seed=seed,
            codes=codes,
            share=share,
            as_of=as_of,
            explicit=explicit,
            first_block=first,
            blocks=min(TASK_BLOCKS, blocks - first),
            total=generated,
            breaks=tuple(b for b in plan if low <= b[0] < high),
        )


def write_monthly_csv(
    path: Path | str,
    rows: int,
    *,
    seed: int = 0,
    providers: Sequence[Mapping[str, str]] | None = None,
    malformed: Sequence[str] = (),
    cosmetic_codes: Iterable[str] = COSMETIC_CODES,
    cosmetic_share: float = 0.025,
    as_of: dt.date = DEFAULT_AS_OF,
    workers: int = 1,
) -> GeneratedFile:
    """Write a monthly NPPES V2 main CSV to ``path`` and return its expected truth.

    ``rows`` generated rows follow the header and the explicit ``providers``
    (dicts keyed by V2 column names, written first, in order, the other
    columns empty; a double quote in a value becomes a single quote, as CMS
    does). About 75% of generated rows are individuals, 25% organisations,
    3.6% deactivated (NPI and deactivation date only), 0.1% reactivated (full
    data); ``cosmetic_share`` (2.5%) of individuals list one of
    ``cosmetic_codes``. ``malformed`` lists broken-line kinds
    (:data:`MALFORMED_KINDS`) spread evenly through the generated rows
    (``truncated`` always at the very end, without a newline); they come in
    addition to ``rows``. ``workers`` > 1 renders in that many processes;
    the bytes are the same for any number of workers.
    """
    started = time.perf_counter()
    path = Path(path)
    codes = frozenset(cosmetic_codes)
    explicit_rows = [_explicit_row(p) for p in providers or ()]
    explicit = tuple(r[_C_NPI] for r in explicit_rows)
    if len(set(explicit)) != len(explicit):
        raise ValueError("two explicit rows have the same NPI")
    explicit_set = frozenset(explicit)
    facts = _Facts()
    plan = _plan_breaks(malformed, rows, seed, _MALFORMED)
    marks = _line_numbers(plan, len(explicit_rows), rows)
    tasks = _tasks(
        generated=rows,
        seed=seed,
        codes=codes,
        share=cosmetic_share,
        as_of=as_of,
        explicit=explicit_set,
        plan=plan,
    )
    maker = _maker(codes, cosmetic_share, as_of)
    size = 0
    with path.open("wb") as out:
        size += out.write(header_line())
        for row in explicit_rows:
            facts.add(row, codes)
            size += out.write(_render(row).encode())
        if workers <= 1:
            for chunk, chunk_facts in map(_run_task, tasks):
                size += out.write(chunk)
                facts.merge(chunk_facts)
        else:
            out.flush()
            for written, chunk_facts in _in_workers(path, size, tasks, workers):
                size += written
                facts.merge(chunk_facts)
            out.seek(size)
        for position, kind, npi in plan:  # the ones after the last generated row
            if position >= rows:
                source = _malformed_source(maker, random.Random(f"{seed}:{npi}"), npi)
                size += out.write(_malformed_line(kind, source))
    return GeneratedFile(
        path=path,
        rows=len(explicit_rows) + rows,
        lines=1 + len(explicit_rows) + rows + len(plan),
        bytes=size,
        seed=seed,
        as_of=as_of,
        cosmetic_codes=codes,
        cosmetic_share=cosmetic_share,
        generated=rows,
        explicit_npis=explicit,
        individuals=facts.individuals,
        organisations=facts.organisations,
        expected_kept=frozenset(facts.kept),
        deactivated=frozenset(facts.deactivated),
        reactivated=frozenset(facts.reactivated),
        outside_us=frozenset(facts.outside_us),
        kept_zips=tuple(sorted(facts.kept_zips)),
        malformed=marks,
        seconds=time.perf_counter() - started,
        workers=workers,
    )


_SHARED: dict[str, Any] = {}  # a worker's output file and its place in the queue to write


def _start_worker(path: Path, turn: Any, offset: Any, condition: Any) -> None:
    """Pool initializer: open the output file and keep the shared write queue."""
    _SHARED.update(fd=os.open(path, os.O_WRONLY), turn=turn, offset=offset, condition=condition)


def _run_and_write(numbered: tuple[int, _Task]) -> tuple[int, _Facts]:
    """Render task ``number``, wait for its turn to claim the next stretch of the file, write it.

    Claiming happens in task order under a lock; the writes themselves run in
    parallel, each at its own offset. No bytes pass through the parent.
    """
    number, task = numbered
    data, facts = _run_task(task)
    condition, turn, offset = _SHARED["condition"], _SHARED["turn"], _SHARED["offset"]
    with condition:
        condition.wait_for(lambda: turn.value == number)
        at = offset.value
        offset.value = at + len(data)
        turn.value = number + 1
        condition.notify_all()
    view = memoryview(data)
    while view:
        done = os.pwrite(_SHARED["fd"], view, at)
        view, at = view[done:], at + done
    return len(data), facts


def _in_workers(
    path: Path, start: int, tasks: Iterable[_Task], workers: int
) -> Iterator[tuple[int, _Facts]]:
    """Run tasks in ``workers`` processes that write their bytes into ``path`` from ``start`` on.

    Yields (bytes written, facts) per task, in task order.
    """
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    turn = context.Value("q", 0, lock=False)
    offset = context.Value("q", start, lock=False)
    condition = context.Condition()
    with context.Pool(
        workers, initializer=_start_worker, initargs=(path, turn, offset, condition)
    ) as pool:
        yield from pool.imap(_run_and_write, enumerate(tasks), chunksize=1)


# --------------------------------------------------------------------------- weekly files


def _base_rows(base: GeneratedFile, order_seed: int) -> Iterator[list[str]]:
    """Replay the base's generated rows, block by block in a seeded random order."""
    maker = _maker(base.cosmetic_codes, base.cosmetic_share, base.as_of)
    explicit = frozenset(base.explicit_npis)
    blocks = list(range(math.ceil(base.generated / BLOCK)))
    random.Random(order_seed).shuffle(blocks)
    for block in blocks:
        rng = _block_rng(base.seed, block)
        for index in range(block * BLOCK, min(base.generated, (block + 1) * BLOCK)):
            yield maker.row(rng, _generated_npi(index, explicit))


def write_weekly_csv(  # noqa: C901 (a test-data writer: one branch per column of the CMS file)
    path: Path | str,
    *,
    base: GeneratedFile | None,
    rows: int,
    seed: int = 0,
    stale: int | None = None,
    providers: Sequence[Mapping[str, str]] | None = None,
    malformed: Sequence[str] = (),
    cosmetic_codes: Iterable[str] | None = None,
    start: dt.date | None = None,
) -> WeeklyFile:
    """Write a weekly NPPES V2 main CSV (same layout as the monthly) and return its truth.

    Of ``rows`` generated rows: ``stale`` (default rows // 50, at least 1)
    repeat base NPIs with a Last Update Date older than the base's and a
    change that would add or remove a provider if applied; 10% deactivate
    base NPIs (NPI and deactivation date only); 45% update base rows with a
    Last Update Date inside the week (a new practice address, a cosmetic code
    added, or every cosmetic code removed); the rest are new NPIs enumerated
    that week. Without a base every row is new. ``providers`` are written
    first and treated as newer than the base. The week starts the day after
    the base's ``as_of`` unless ``start`` says otherwise, and lasts 7 days.
    Each NPI appears at most once. Rows come in a shuffled order.
    """
    path = Path(path)
    codes = frozenset(cosmetic_codes) if cosmetic_codes is not None else None
    if codes is None:
        codes = base.cosmetic_codes if base else frozenset(COSMETIC_CODES)
    as_of = base.as_of if base else DEFAULT_AS_OF
    start = start or as_of + dt.timedelta(days=1)
    end = start + dt.timedelta(days=6)
    share = base.cosmetic_share if base else 0.025
    maker = _maker(codes, share, as_of)
    rng = random.Random((seed << 40) | 0xFEED)
    week = (maker.day(start), maker.day(end))
    if week[1] >= len(maker.dates):
        raise ValueError("the week starts too long after the base's as_of date")

    has_base = base is not None and base.generated > 0
    n_stale = (stale if stale is not None else max(1, rows // 50)) if has_base else 0
    n_stale = min(n_stale, rows)
    n_deact = rows // 10 if has_base else 0
    n_update = rows * 45 // 100 if has_base else 0
    n_remove = n_update * 3 // 10
    n_add = n_update * 3 // 10
    n_move = n_update - n_remove - n_add
    n_move_kept = n_move // 2
    n_deact_kept = n_deact * 3 // 10

    kept_base = base.expected_kept if base else frozenset()
    need_kept = n_remove + n_move_kept + n_deact_kept + (n_stale + 1) // 2
    need_plain = n_add + n_stale // 2  # active individuals without a kept code
    need_other = (n_move - n_move_kept) + (n_deact - n_deact_kept)
    kept_pool: list[list[str]] = []
    plain_pool: list[list[str]] = []
    other_pool: list[list[str]] = []
    if has_base:
        assert base is not None
        for row in _base_rows(base, seed):
            if _deactivated(row) or _abroad(row):
                continue
            if _kept(row, codes) and row[_C_NPI] in kept_base:
                kept_pool.append(row)
            elif row[_C_ENTITY] == "1" and not _kept(row, codes):
                plain_pool.append(row)
            else:
                other_pool.append(row)
            if (
                len(kept_pool) >= 3 * need_kept
                and len(plain_pool) >= 3 * need_plain
                and len(other_pool) >= 3 * need_other
            ):
                break
    rng.shuffle(kept_pool)
    rng.shuffle(plain_pool)
    rng.shuffle(other_pool)

    def stale_ready(row: list[str]) -> bool:
        return maker.day_of(row[_C_UPDATE]) > maker.day_of(row[_C_ENUM])

    def take(pool: list[list[str]], count: int, test: Any = None) -> list[list[str]]:
        picked = []
        keep = []
        while pool and len(picked) < count:
            row = pool.pop()
            if test is None or test(row):
                picked.append(row)
            else:
                keep.append(row)
        pool.extend(keep)
        return picked

    # Stale rows first (they need a base date after the enumeration date).
    stale_kept = take(kept_pool, (n_stale + 1) // 2, stale_ready)
    stale_plain = take(plain_pool, n_stale // 2, stale_ready)
    removes = take(kept_pool, n_remove)
    moves_kept = take(kept_pool, n_move_kept)
    deacts_kept = take(kept_pool, n_deact_kept)
    adds = take(plain_pool, n_add)
    moves_other = take(other_pool + plain_pool, n_move - n_move_kept)
    used = {r[_C_NPI] for r in moves_other}
    other_pool = [r for r in other_pool + plain_pool if r[_C_NPI] not in used]
    rng.shuffle(other_pool)
    deacts_other = take(other_pool, n_deact - n_deact_kept)

    added: set[str] = set()
    updated: set[str] = set()
    removed: set[str] = set()
    deactivated: set[str] = set()
    stale_npis: set[str] = set()
    new: set[str] = set()
    outside: set[str] = set(base.outside_us) if base else set()
    out_rows: list[list[str]] = []

    def later(row: list[str]) -> None:
        row[_C_UPDATE] = maker.dates[week[0] + int(rng.random() * 7)]
        if row[_C_CERT]:
            row[_C_CERT] = row[_C_UPDATE]

    for row in stale_kept + stale_plain:
        row = row[:]
        older = maker.day_of(row[_C_UPDATE]) - 1 - int(rng.random() * 365)
        row[_C_UPDATE] = maker.dates[max(maker.day_of(row[_C_ENUM]), older)]
        if _kept(row, codes):
            _remove_codes(row, codes, maker)
        else:
            _add_code(row, codes, maker, rng)
        stale_npis.add(row[_C_NPI])
        out_rows.append(row)
    for row in removes:
        row = row[:]
        _remove_codes(row, codes, maker)
        later(row)
        removed.add(row[_C_NPI])
        out_rows.append(row)
    for row in adds:
        row = row[:]
        _add_code(row, codes, maker, rng)
        later(row)
        added.add(row[_C_NPI])
        out_rows.append(row)
    for row in moves_kept + moves_other:
        row = row[:]
        practice = maker.address(int(rng.random() * _ADDRESS_POOL))
        row[_C_PRACTICE : _C_PRACTICE + 8] = practice
        state = practice[3]
        for _, _, c_state, _ in _C_SLOT:
            if row[c_state] and row[c_state] != "NULL":
                row[c_state] = state
        later(row)
        if _kept(row, codes):
            updated.add(row[_C_NPI])
        out_rows.append(row)
    for row in deacts_kept + deacts_other:
        npi = row[_C_NPI]
        row = [""] * COLUMNS
        row[_C_NPI] = npi
        row[_C_DEACT] = maker.dates[week[0] + int(rng.random() * 7)]
        deactivated.add(npi)
        if npi in kept_base:
            removed.add(npi)
        out_rows.append(row)
    n_new = rows - len(out_rows)
    offset = _WEEKLY_NEW + (seed % 400) * 200_000
    if n_new > 200_000:
        raise ValueError("a weekly file holds at most 200,000 new NPIs")
    explicit_rows = [_explicit_row(p) for p in providers or ()]
    taken = {r[_C_NPI] for r in explicit_rows} | {r[_C_NPI] for r in out_rows}
    new_rng = random.Random((seed << 40) | 0xBEEF)
    j = 0
    while len(out_rows) < rows:
        npi = npi_for_index(offset + j)
        j += 1
        if npi in taken:
            continue
        row = maker.row(new_rng, npi, new_between=week)
        new.add(npi)
        if _kept(row, codes):
            added.add(npi)
        if _abroad(row):
            outside.add(npi)
        out_rows.append(row)
    rng.shuffle(out_rows)

    for row in explicit_rows:
        npi = row[_C_NPI]
        if _deactivated(row):
            deactivated.add(npi)
        if _kept(row, codes):
            (updated if npi in kept_base else added).add(npi)
        elif npi in kept_base:
            removed.add(npi)
        if _abroad(row):
            outside.add(npi)
        elif npi in outside and base and npi in base.outside_us:
            outside.discard(npi)

    plan = _plan_breaks(malformed, len(out_rows), seed, _MALFORMED + 1_000_000)
    marks = _line_numbers(plan, len(explicit_rows), len(out_rows))
    size = 0
    breaks = list(plan)
    bad_rng = random.Random(f"weekly:{seed}")
    with path.open("wb") as out:
        size += out.write(header_line())
        for row in explicit_rows:
            size += out.write(_render(row).encode())
        for index, row in enumerate(out_rows):
            while breaks and breaks[0][0] == index:
                _, kind, npi = breaks.pop(0)
                size += out.write(_malformed_line(kind, _malformed_source(maker, bad_rng, npi)))
            size += out.write(_render(row).encode())
        for _, kind, npi in breaks:
            size += out.write(_malformed_line(kind, _malformed_source(maker, bad_rng, npi)))
    expected = (kept_base - removed) | added
    return WeeklyFile(
        path=path,
        rows=len(explicit_rows) + len(out_rows),
        lines=1 + len(explicit_rows) + len(out_rows) + len(plan),
        bytes=size,
        seed=seed,
        start=start,
        end=end,
        added=frozenset(added),
        updated=frozenset(updated - removed),
        removed=frozenset(removed - added),
        deactivated=frozenset(deactivated),
        stale=frozenset(stale_npis),
        new=frozenset(new),
        expected_kept=frozenset(expected),
        outside_us=frozenset(outside),
        malformed=marks,
    )


def _remove_codes(row: list[str], codes: frozenset[str], maker: _RowMaker) -> None:
    """Drop every kept code from a row's slots (compacting them); keep one slot filled."""
    slots = [tuple(row[c] for c in columns) for columns in _C_SLOT if row[columns[0]] not in ("",)]
    had_primary = any(s[3] == "Y" and s[0] not in codes for s in slots)
    slots = [s for s in slots if s[0] not in codes]
    if not slots:
        slots = [(maker.individual_codes[0], "", "", "Y")]
    elif not had_primary:
        slots[0] = (*slots[0][:3], "Y")
    for index, columns in enumerate(_C_SLOT):
        values = slots[index] if index < len(slots) else ("", "", "", "")
        for column, value in zip(columns, values, strict=True):
            row[column] = value


def _add_code(row: list[str], codes: frozenset[str], maker: _RowMaker, rng: random.Random) -> None:
    """Put a kept code in the first empty slot (or the last slot if all 15 are full)."""
    cosmetic = sorted(codes)
    code = cosmetic[int(rng.random() * len(cosmetic))]
    for c_code, _c_number, _c_state, c_switch in _C_SLOT:
        if not row[c_code]:
            row[c_code] = code
            row[c_switch] = "N"
            return
    row[_C_SLOT[-1][0]] = code


# --------------------------------------------------------------------------- zip


def write_zip(csv_path: Path | str, zip_path: Path | str) -> Path:
    """Pack a main CSV into a zip laid out like CMS's; return the zip's path.

    ``zip_path`` is a file name, or a folder to put CMS's name in
    (``NPPES_Data_Dissemination_<MonthName>_<YYYY>_V2.zip`` for a monthly,
    ``NPPES_Data_Dissemination_<MMDDYY>_<MMDDYY>_Weekly_V2.zip`` for a
    weekly). The zip holds the CSV, its ``_FileHeader.csv`` (header line
    only) and a short readme, all ZIP_DEFLATED. The CSV is streamed.
    """
    csv_path, zip_path = Path(csv_path), Path(zip_path)
    if zip_path.is_dir():
        zip_path = zip_path / zip_name(csv_path.name)
    stem = csv_path.name.removesuffix(".csv")
    with open(csv_path, "rb") as source:
        header = source.readline()
    readme = (
        "Synthetic NPPES data dissemination file written by reconsult's tools/nppes_synthetic.py.\n"
        "Not real provider data: every name, address and NPI is made up.\n"
    )
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, csv_path.name)
        archive.writestr(f"{stem}_FileHeader.csv", header)
        archive.writestr("NPPES_Data_Dissemination_Readme.txt", readme)
    return zip_path


# --------------------------------------------------------------------------- script


def _say(text: str) -> None:
    """Print a line of the script's report."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Write synthetic files from the command line; print what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.nppes_synthetic",
        description="Write a synthetic NPPES V2 monthly file (and optionally a weekly one).",
    )
    parser.add_argument("--rows", type=int, required=True, help="generated rows")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--weekly",
        action="store_true",
        help="also write a weekly file of --weekly-rows rows against the monthly",
    )
    parser.add_argument("--weekly-rows", type=int, default=None, help="default: rows // 100")
    parser.add_argument("--zip", action="store_true", help="also pack each CSV in a CMS-like zip")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    parser.add_argument("--malformed", action="append", default=[], choices=MALFORMED_KINDS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / monthly_file_name()
    monthly = write_monthly_csv(
        csv_path, args.rows, seed=args.seed, malformed=args.malformed, workers=args.workers
    )
    save_truth(monthly, csv_path.with_suffix(".truth.json"))
    _say(
        f"{csv_path}: {monthly.rows:,} rows, {monthly.bytes:,} bytes "
        f"({monthly.bytes_per_row:,.0f} bytes/row), {len(monthly.expected_kept):,} expected kept, "
        f"{len(monthly.deactivated):,} deactivated, {monthly.seconds:.1f} s "
        f"with {monthly.workers} worker(s)"
    )
    written = [csv_path]
    if args.weekly:
        weekly_rows = args.weekly_rows
        if weekly_rows is None:
            weekly_rows = max(10, args.rows // 100)
        start = monthly.as_of + dt.timedelta(days=1)
        weekly_path = args.out / weekly_file_name(start, start + dt.timedelta(days=6))
        weekly = write_weekly_csv(weekly_path, base=monthly, rows=weekly_rows, seed=args.seed)
        save_truth(weekly, weekly_path.with_suffix(".truth.json"))
        _say(
            f"{weekly_path}: {weekly.rows:,} rows, {len(weekly.added):,} added, "
            f"{len(weekly.updated):,} updated, {len(weekly.removed):,} removed, "
            f"{len(weekly.stale):,} stale"
        )
        written.append(weekly_path)
    if args.zip:
        for path in written:
            _say(str(write_zip(path, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
