"""Adjudication rules as tables a benefits expert can review line by line.

Each row: plan state x claim -> patient share, with the arithmetic in the comment.
Amounts are in cents.
"""

import pytest

from toolkit.engine import rules as r

# allowed, deductible left, coinsurance bp, oop left -> (deductible, coinsurance, total)
COINSURANCE_CASES = [
    # claim inside the deductible: all of it to the deductible
    (50000, 100000, 2000, 600000, (50000, 0, 50000)),  # $500 < $1,000 left -> $500
    # claim crosses the deductible: $300 + 20% of $700 = $300 + $140
    (100000, 30000, 2000, 600000, (30000, 14000, 44000)),
    # deductible already met: 20% of $952.59 = $190.518 -> $190.52 (half up)
    (95259, 0, 2000, 600000, (0, 19052, 19052)),
    # half-cent rounds up: 20% of $0.03 = $0.006 -> $0.01
    (3, 0, 2000, None, (0, 1, 1)),
    # cap bites inside the coinsurance: $300 + $140 = $440 but only $400 of cap left -> $400
    (100000, 30000, 2000, 40000, (30000, 10000, 40000)),
    # cap bites inside the deductible: $500 deductible, only $200 of cap left -> $200
    (50000, 100000, 2000, 20000, (20000, 0, 20000)),
    # cap already reached: the plan pays everything
    (100000, 0, 2000, 0, (0, 0, 0)),
    # 0% coinsurance after the deductible (Medicaid-like)
    (100000, 0, 0, None, (0, 0, 0)),
    # 100% coinsurance: patient pays all, up to the cap
    (100000, 0, 10000, 50000, (0, 50000, 50000)),
    # no cap (Original Medicare): $283 deductible + 20% of $669.59 = $283 + $133.918 -> $416.92
    (95259, 28300, 2000, None, (28300, 13392, 41692)),
]


@pytest.mark.parametrize("allowed,ded_left,bp,oop_left,expected", COINSURANCE_CASES)
def test_coinsurance_claim(allowed, ded_left, bp, oop_left, expected):
    s = r.coinsurance_claim(allowed, ded_left, bp, oop_left)
    assert (s.deductible, s.coinsurance, s.total) == expected
    assert 0 <= s.total <= allowed


# allowed, deductible left, copay, oop left, before deductible -> total
COPAY_CASES = [
    (50000, 100000, 4000, None, True, 4000),  # $40 copay, deductible ignored
    (50000, 20000, 4000, None, False, 24000),  # $200 deductible, then $40 copay
    (50000, 100000, 4000, None, False, 50000),  # whole visit inside the deductible
    (2500, 0, 4000, None, True, 2500),  # copay never above the allowed $25
    (50000, 0, 4000, 1000, True, 1000),  # only $10 of cap left
]


@pytest.mark.parametrize("allowed,ded_left,copay,oop_left,before,expected", COPAY_CASES)
def test_copay_claim(allowed, ded_left, copay, oop_left, before, expected):
    assert r.copay_claim(allowed, ded_left, copay, oop_left, before_deductible=before).total == expected


# paid, allowed share bp, OON deductible left, coinsurance bp -> (allowed, reimbursement, balance bill)
SUPERBILL_CASES = [
    # $600 paid, 60% allowed = $360; $200 deductible + 40% of $160 = $264 share; plan sends $96; $240 balance bill
    (60000, 6000, 20000, 4000, (36000, 9600, 24000)),
    # deductible not reached: allowed $300 all to the deductible -> nothing back
    (60000, 5000, 300000, 4000, (30000, 0, 30000)),
    # deductible met, 100% allowed, 30% coinsurance: back 70% of $500 = $350
    (50000, 10000, 0, 3000, (50000, 35000, 0)),
]


@pytest.mark.parametrize("paid,allowed_bp,ded_left,bp,expected", SUPERBILL_CASES)
def test_superbill(paid, allowed_bp, ded_left, bp, expected):
    allowed = r.out_of_network_allowed(paid, allowed_bp)
    reimb = r.superbill_reimbursement(paid, allowed, r.coinsurance_claim(allowed, ded_left, bp, None).total)
    assert (allowed, reimb, r.balance_bill(paid, allowed)) == expected


# share, floor, cap left -> program pays
SAVINGS_CASES = [
    (112000, 1000, 715000, 111000),  # $1,120 share, patient pays $10
    (112000, 1000, 50000, 50000),  # only $500 of the yearly maximum left
    (800, 1000, 715000, 0),  # share below the $10 floor: nothing to pay
    (50000, 0, 0, 0),  # observation rebate with no cap entered: nothing
]


@pytest.mark.parametrize("share,floor,cap,expected", SAVINGS_CASES)
def test_savings_program(share, floor, cap, expected):
    assert r.savings_program_pay(share, floor, cap) == expected
