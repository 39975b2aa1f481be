"""The numbers the Step Change final report (2006-07) printed, and the few the demo had to solve for.

Everything the demo builds is derived from here, so a reader can check each printed figure
against its paragraph. Printed values are kept as the report printed them, without the sign,
the pound sign or the percent sign, so the reconciliation reads the precision from them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

REPORT = "Step Change final report 2006-07"

BASELINE = datetime.date(2006, 4, 1)
JULY = datetime.date(2006, 7, 1)
OCTOBER = datetime.date(2006, 10, 1)
YEAR_END = datetime.date(2007, 3, 31)
RETURN_DATES = (BASELINE, JULY, OCTOBER)

AREAS = ("SYPA", "HYPA", "NYPA", "WYPA")

# Final main grants for 2006-07. The report does not print them; these were solved so that every
# printed figure that can hold at once does: the October shares to one decimal, the April shares
# to two, and the weighted baseline of 2.33% (1,673,053 / 71,660,000 = 2.3347%).
MAIN_GRANT_2006_07 = {
    "SYPA": Decimal("19430000"),
    "HYPA": Decimal("13550000"),
    "NYPA": Decimal("7920000"),
    "WYPA": Decimal("30760000"),
}
# Indicative 2007-08 grants: "a slight increase (under 5%)" (para 5.26); 3.2% to 3.8% here.
INDICATIVE_2007_08 = {
    "SYPA": Decimal("20110000"),
    "HYPA": Decimal("13984000"),
    "NYPA": Decimal("8221000"),
    "WYPA": Decimal("31806000"),
}
TARGET_PCT = {"2006-07": Decimal("5.00"), "2007-08": Decimal("10.00")}

# Counted spend on 1 October 2006 (para 5.17) and at the 1 April 2006 baseline. The baseline per
# area is not printed; it is the share printed in para 5.16 times the solved grant, to the pound.
SPEND_OCTOBER = {
    "SYPA": Decimal("633470"),
    "HYPA": Decimal("486747"),
    "NYPA": Decimal("168640"),
    "WYPA": Decimal("957830"),
}
SPEND_BASELINE = {
    "SYPA": Decimal("566364"),
    "HYPA": Decimal("411242"),
    "NYPA": Decimal("75635"),
    "WYPA": Decimal("619812"),
}
# Counted contracts live on 1 April that ended before 1 October, one per area. Together
# £31,813, so that the 93 counted contracts live at some time in 2006-07 are worth
# 2,246,687 + 31,813 = 2,278,500 = 93 × 24,500: the "average annual value ... £24,500" of para 5.21.
ENDED_BEFORE_OCTOBER = {
    "SYPA": (Decimal("9850"), datetime.date(2006, 6, 30)),
    "HYPA": (Decimal("6420"), datetime.date(2006, 9, 30)),
    "NYPA": (Decimal("4318"), datetime.date(2006, 6, 30)),
    "WYPA": (Decimal("11225"), datetime.date(2006, 8, 31)),
}
MEAN_CONTRACT_VALUE = Decimal("24500")

# Contracts on 1 October 2006 by sector (para 5.17).
CONTRACTS_OCTOBER = {"SYPA": (20, 3), "HYPA": (6, 9), "NYPA": (8, 5), "WYPA": (21, 17)}

PATHWAY_CODES = (
    "accommodation",
    "ete",
    "health",
    "drugs-alcohol",
    "fbd",
    "children-families",
    "atb",
    "offender-management",
    "unpaid-work",
)
# Contracts profile by area and pathway (para 5.19), columns in PATHWAY_CODES order.
PROFILE = {
    "SYPA": (3, 9, 1, 6, 0, 0, 0, 5, 1),
    "HYPA": (1, 2, 0, 3, 0, 1, 1, 6, 1),
    "NYPA": (1, 0, 0, 5, 0, 0, 1, 7, 0),
    "WYPA": (1, 1, 4, 4, 0, 0, 2, 14, 9),
}
PROFILE_TOTALS = (6, 12, 5, 18, 0, 1, 4, 32, 11)

# Prison baseline spend by pathway (paras 5.45-5.46); visitors' centres count as Children & Families.
PRISON_BASELINE_SPEND = {
    "ete": Decimal("528802"),
    "accommodation": Decimal("444490"),
    "drugs-alcohol": Decimal("1762874"),
    "children-families": Decimal("72515"),
}


@dataclass(frozen=True)
class Figure:
    """One published figure: of a commissioner (by code), of a region (by code), or a labelled total."""

    measure: str
    as_at: datetime.date
    printed: str
    source: str
    commissioner: str = ""
    region: str = ""
    label: str = ""

    @property
    def value(self) -> Decimal:
        return Decimal(self.printed.replace(",", ""))


# (region code, printed share) of the national table in para 5.20. The report gives no date; the
# table sits with the 1 October 2006 figures, so it is taken as at that date.
NATIONAL_REGIONS = (
    ("SW", "4.25"),
    ("WM", "4.00"),
    ("LON", "3.98"),
    ("EE", "3.46"),
    ("YH", "3.33"),
    ("SE", "3.23"),
    ("EM", "2.98"),
    ("NW", "2.15"),
    ("NE", "2.14"),
)
NATIONAL_AGGREGATES = (("National", "3.63"), ("England (excluding Wales)", "3.30"))


def published_figures() -> list[Figure]:
    para_516 = f"{REPORT}, para 5.16"
    para_517 = f"{REPORT}, para 5.17 (table at 1 October 2006)"
    figures: list[Figure] = []
    october_share = {"SYPA": "3.3", "HYPA": "3.6", "NYPA": "2.1", "WYPA": "3.1"}
    # Printed "+ 0.40%", "+0.57%", "+1.15%", "+1.1%".
    october_change = {"SYPA": "0.40", "HYPA": "0.57", "NYPA": "1.15", "WYPA": "1.1"}
    baseline_share = {"SYPA": "2.91", "HYPA": "3.03", "NYPA": "0.95", "WYPA": "2.01"}
    for code in AREAS:
        vcs, private = CONTRACTS_OCTOBER[code]
        figures += [
            Figure("share_pct", OCTOBER, october_share[code], para_517, commissioner=code),
            Figure(
                "change_pts", OCTOBER, october_change[code], para_517 + ", printed with a + sign", commissioner=code
            ),
            Figure("counted_spend", OCTOBER, str(SPEND_OCTOBER[code]), para_517, commissioner=code),
            Figure("vcs_contracts", OCTOBER, str(vcs), para_517, commissioner=code),
            Figure("private_contracts", OCTOBER, str(private), para_517, commissioner=code),
            Figure(
                "contract_count",
                OCTOBER,
                str(vcs + private),
                para_517 + "; also the contracts the para 5.19 profile should reconcile with",
                commissioner=code,
            ),
            Figure("share_pct", BASELINE, baseline_share[code], para_516, commissioner=code),
        ]
        for pathway, entries in zip(PATHWAY_CODES, PROFILE[code], strict=True):
            figures.append(
                Figure(
                    "pathway_entries", OCTOBER, str(entries), f"{REPORT}, para 5.19", commissioner=code, label=pathway
                )
            )
    for pathway, entries in zip(PATHWAY_CODES, PROFILE_TOTALS, strict=True):
        figures.append(
            Figure(
                "pathway_entries", OCTOBER, str(entries), f"{REPORT}, para 5.19, total row", region="YH", label=pathway
            )
        )
    figures += [
        Figure("counted_spend", OCTOBER, "2246687", para_517 + ", total", region="YH"),
        Figure("vcs_contracts", OCTOBER, "55", para_517 + ", total", region="YH"),
        Figure("private_contracts", OCTOBER, "34", para_517 + ", total", region="YH"),
        Figure("contract_count", OCTOBER, "89", para_517 + ", total", region="YH"),
        Figure(
            "regional_mean_share_pct", OCTOBER, "3", f"{REPORT}, para 5.17: 'an average area spend of 3%'", region="YH"
        ),
        Figure("vcs_count_pct", OCTOBER, "62", f"{REPORT}, para 5.18: '62% of these contracts'", region="YH"),
        Figure("counted_spend", BASELINE, "1673053", f"{REPORT}, para 5.15", region="YH"),
        Figure(
            "regional_weighted_share_pct",
            BASELINE,
            "2.33",
            f"{REPORT}, para 5.15: 'an average area spend of 2.33%' (spend over grant)",
            region="YH",
        ),
        Figure(
            "mean_contract_value",
            YEAR_END,
            "24500",
            f"{REPORT}, para 5.21: 'the average annual value of contracts this year' (2006-07)",
            region="YH",
        ),
    ]
    national = f"{REPORT}, para 5.20 (national data by region; undated, taken as at 1 October 2006)"
    for code, printed in NATIONAL_REGIONS:
        source = national + (", printed without a % sign" if code == "SE" else "")
        figures.append(Figure("share_pct", OCTOBER, printed, source, region=code))
    for label, printed in NATIONAL_AGGREGATES:
        figures.append(Figure("share_pct", OCTOBER, printed, national, label=label))
    return figures
