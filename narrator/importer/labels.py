"""Reader labels for BLS industry names: a reviewed table.

OEWS names its industry sectors as NAICS does ("Administrative and Support and Waste
Management and Remediation Services") and one of them by what it leaves out ("Federal, State,
and Local Government, excl. State & Local Schools & Hospitals & USPS"). A page shows the label
of this table instead; ``provenance.json`` keeps the table, so every label leads back to the
BLS name. Each row was written by reading the sector's NAICS definition and the OEWS
industry notes: where OEWS counts public and private employers together (schools and
hospitals of state and local governments are in "Educational Services" and "Health Care and
Social Assistance"), the label says so rather than guessing.

Every sector the import reads must have a row (``reader_label`` raises otherwise), and every
row must name a sector the database has (tested), so a new release that renames one shows up.
"""

from __future__ import annotations

from ..errors import SourceError

#: BLS sector title (without "Sector NN - ") -> the label a page shows. Reviewed by hand.
INDUSTRY_LABELS: dict[str, str] = {
    "Agriculture, Forestry, Fishing and Hunting": "Agriculture, forestry, fishing and hunting",
    "Mining, Quarrying, and Oil and Gas Extraction": "Mining, quarrying, and oil and gas",
    "Utilities": "Utilities",
    "Construction": "Construction",
    "Manufacturing": "Manufacturing",
    "Wholesale Trade": "Wholesale trade",
    "Retail Trade": "Retail trade",
    "Transportation and Warehousing": "Transportation and warehousing",
    "Information": "Publishing, media and telecommunications",
    "Finance and Insurance": "Finance and insurance",
    "Real Estate and Rental and Leasing": "Real estate, rental and leasing",
    "Professional, Scientific, and Technical Services":
        "Professional, scientific, and technical services",
    "Management of Companies and Enterprises": "Corporate and regional head offices",
    "Administrative and Support and Waste Management and Remediation Services":
        "Administrative support and waste services",
    "Educational Services": "Schools, colleges and universities (public and private)",
    "Health Care and Social Assistance": "Health care and social assistance",
    "Arts, Entertainment, and Recreation": "Arts, entertainment, and recreation",
    "Accommodation and Food Services": "Hotels, restaurants and other food services",
    "Other Services (except Public Administration)":
        "Repair, personal care, religious and civic groups",
    "Federal, State, and Local Government, excl. State & Local Schools & Hospitals & USPS":
        "Government (except public schools, hospitals and the Postal Service)",
}


def reader_label(bls_name: str) -> str:
    """The reviewed label of a BLS sector title; a title without a row is an error to review."""
    try:
        return INDUSTRY_LABELS[bls_name]
    except KeyError:
        raise SourceError(f"no reader label for the BLS industry {bls_name!r}: add a row to "
                          "INDUSTRY_LABELS in narrator/importer/labels.py and review it"
                          ) from None
