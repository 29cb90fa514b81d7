#!/usr/bin/env python3
"""Generates the bundled demo city: a small, realistic 长沙 (Changsha) data set.

    python3 scripts/make_demo_city.py [--out examples/demo-city]
                                      [--expected tests/data/demo_city_expected.json]

Writes sfmon.yaml, schools.yaml, watchlist.csv, inbox/bank/* (camt.053 001.02 and
001.08, MT940, bank CSV), inbox/fees/* (CSV and JSON Lines), PLANTED.md and the
machine-readable list of planted cases and near misses.

Everything is deterministic (fixed seed, no clock, no hash ordering): running the
script twice gives byte-identical output. Python 3 standard library only.

Before writing, the script proves its own claims: a reference evaluator that follows
the rules catalogue (rules-catalogue.md) evaluates every rule over the generated city, under
several readings of the points the catalogue leaves open, and must find exactly the
planted alerts (no more, no fewer). The written files are then parsed back and
compared with the model (amounts, references, balances that reconcile).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Optional
from xml.sax.saxutils import escape

SEED = 20240901
ZONE = timezone(timedelta(hours=8))  # Asia/Shanghai: fixed +08:00 since 1991
UTC = timezone.utc
PERIOD_START = date(2024, 9, 1)
PERIOD_END = date(2024, 11, 30)

# Default parameters of the rule pack (rules-catalogue.md).
P = {
    "large_day_total": 200_000_000,
    "cash_day_total": 5_000_000,
    "person_single": 5_000_000,
    "person_single_high": 50_000_000,
    "related_review": 10_000_000,
    "roundtrip_window_days": 180,
    "roundtrip_share": Fraction(1, 2),
    "drain_share": Fraction(3, 10),
    "drain_share_high": Fraction(1, 2),
    "split_count": 3,
    "split_total": 100_000_000,
    "passthru_hours": 72,
    "passthru_share": Fraction(4, 5),
    "passthru_min": 10_000_000,
    "anomaly_sigma": 4,
    "anomaly_min_history": 30,
    "prepay_months": 3,
    "prepay_hours": 60,
    "donation_window": 90,
    "recon_share": Fraction(1, 20),
    "recon_abs": 1_000_000,
}
CASH_WORDS = ["现金", "取现", "atm"]
PAYROLL_WORDS = ["工资", "薪", "salary", "payroll"]
CAPITAL_WORDS = ["出资", "注册资本", "开办资金", "投资款", "借款"]
LENDER_WORDS = ["小额贷款", "消费金融", "融资租赁", "网络借贷", "分期"]
# The legal-form words formats.md names; every organisation a rule looks at carries one.
LEGAL_FORM_WORDS = ["有限公司", "公司", "学校", "幼儿园", "银行", "局", "中心", "协会"]
COMPULSORY = {"primary", "middle", "nine_year"}


# ---------------------------------------------------------------------------
# Money, time and names


def Y(yuan) -> int:
    """Yuan (int, or a decimal string with at most two decimals) to fen."""
    d = Decimal(str(yuan)) * 100
    if d != d.to_integral_value():
        raise ValueError(f"inexact amount {yuan}")
    return int(d)


def fmt_amount(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def money(fen: int) -> str:
    """1234567.8 yuan as "1,234,567.80" (for notes, not for data files)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def fmt_mt940_amount(fen: int) -> str:
    assert fen >= 0
    return f"{fen // 100},{fen % 100:02d}"


def at(month: int, day: int, hh: Optional[int] = None, mm: int = 0) -> datetime:
    """A local (Asia/Shanghai) instant in 2024; no time of day means 00:00."""
    return datetime(2024, month, day, hh or 0, mm, tzinfo=ZONE)


def local_day(when: datetime) -> date:
    return when.astimezone(ZONE).date()


def day_start(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=ZONE)


def iso_instant(when: datetime, style: str) -> str:
    if style == "date":
        return local_day(when).isoformat()
    if style == "utc":
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.astimezone(ZONE).isoformat()


def normalise_name(name: str) -> str:
    out = []
    for ch in name.strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif code == 0x3000:
            ch = " "
        out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).lower()


def normalise_account(acct: str) -> str:
    return acct.replace(" ", "").replace("-", "").upper()


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    last = days_in_month(year, month)
    return date(year, month, min(d.day, last))


def days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


def months_covered(start: date, end: date) -> Fraction:
    """Whole calendar months plus partial months as days / days in that month."""
    total = Fraction(0)
    cur = date(start.year, start.month, 1)
    while cur <= end:
        dim = days_in_month(cur.year, cur.month)
        first = max(start, cur)
        last = min(end, date(cur.year, cur.month, dim))
        total += Fraction((last - first).days + 1, dim)
        cur = add_months(cur, 1)
    return total


# ---------------------------------------------------------------------------
# Model


@dataclass
class Party:
    name: str
    account: str = ""
    bank: str = ""
    cls: str = ""  # "person" | "organisation" | "" (unknown, e.g. cash)
    ident: str = ""  # PrvtId (masked id card) or OrgId (统一社会信用代码)


@dataclass
class Account:
    number: str
    bank: str
    role: str  # supervised | basic
    fmt: str  # camt02 | camt08 | mt940 | mt940env | csv
    opening: int
    holder: str
    school: Optional["School"] = None
    csv_types: bool = True  # CSV: write counterparty_type
    txs: list = field(default_factory=list)


@dataclass
class School:
    id: str
    name: str
    kind: str
    nonprofit: bool
    inclusive: bool
    district: str
    enrollment: int
    min_balance: Optional[int]
    related: list
    catalogue: list
    calendar: list
    fee_format: str
    uscc: str
    accounts: list = field(default_factory=list)
    later: dict = field(default_factory=dict)  # records whose amounts finalize() sets

    def acct(self, role: str) -> Account:
        return next(a for a in self.accounts if a.role == role)

    @property
    def supervised(self) -> Account:
        return self.acct("supervised")

    @property
    def basic(self) -> Account:
        return self.acct("basic")


@dataclass
class Batch:
    """A camt entry that carries several TxDtls (e.g. a payroll batch)."""
    ref: str = ""
    msg_id: str = ""
    txs: list = field(default_factory=list)


@dataclass
class Tx:
    account: Account
    when: datetime
    style: str  # date | local | utc (how the source writes the booking time)
    amount: int  # fen, signed: credit +, debit −
    party: Party
    purpose: str
    seq: int
    status: str = "booked"  # booked | pending
    code: str = ""
    e2e: str = ""
    reversal_of: Optional["Tx"] = None
    reversed_by: Optional["Tx"] = None
    batch: Optional[Batch] = None
    ref: str = ""
    balance_after: Optional[int] = None

    @property
    def day(self) -> date:
        return local_day(self.when)

    @property
    def school(self) -> Optional[School]:
        return self.account.school

    @property
    def own(self) -> bool:
        s = self.school
        return s is not None and any(
            normalise_account(self.party.account) == normalise_account(a.number)
            for a in s.accounts) and self.party.account != ""


@dataclass
class Student:
    id: str
    grade: str
    parent: Party
    enrolled_at: Optional[date] = None


@dataclass
class Fee:
    fee_id: str
    school: School
    student: Student
    paid_at: datetime
    style: str  # local | utc
    amount: int
    fee_type: str
    grade: str
    period_start: Optional[date]
    period_end: Optional[date]
    hours: Optional[int]
    receiving_account: str
    refund_of: str = ""
    enrolled_at: Optional[date] = None
    settle_day: Optional[date] = None  # paid through a platform, settled that day
    settled: bool = False

    @property
    def day(self) -> date:
        return local_day(self.paid_at)


@dataclass
class Planted:
    rule: str
    school: School
    level: str
    evidence: object  # list of Tx / Fee / ("balance", Account, date), or a callable
    story: str


@dataclass
class NearMiss:
    rule: str
    school: Optional[School]
    records: list
    note: str


# ---------------------------------------------------------------------------
# Names

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史"
            "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌宇浩凯鹏欣怡晨雨"
         "婷佳琪涵轩远嘉乐俊湘岚峰蓉慧琳莉倩颖瑶鑫晓思梦雪")
BANKS_FOR_PEOPLE = ["中国工商银行长沙分行", "中国农业银行长沙分行", "中国建设银行长沙分行",
                    "长沙银行", "招商银行长沙分行", "中国邮政储蓄银行长沙分行", "中国银行长沙分行"]
CARD_PREFIX = {"中国工商银行长沙分行": "621226", "中国农业银行长沙分行": "622848",
               "中国建设银行长沙分行": "621700", "长沙银行": "621799", "招商银行长沙分行": "621483",
               "中国邮政储蓄银行长沙分行": "621799", "中国银行长沙分行": "621661"}

SCHOOL_BANK = "中国建设银行长沙分行"
CCB = "中国建设银行股份有限公司长沙分行"

# Organisations: name, account, bank. Every name carries a legal-form word.
ORGS = {
    "power": ("国网湖南省电力有限公司长沙供电分公司", "43001510161050001111", "中国建设银行长沙分行"),
    "water": ("长沙水业集团有限公司", "43001510161050002222", "中国建设银行长沙分行"),
    "gas": ("长沙新奥燃气有限公司", "800012345000001333", "长沙银行"),
    "food": ("长沙绿源农产品配送有限公司", "43050187360000001444", "中国建设银行长沙分行"),
    "food2": ("湖南鲜达餐饮管理有限公司", "1901001009200014555", "中国工商银行长沙分行"),
    "books": ("湖南省新华书店有限责任公司长沙市分公司", "43001505061052501666", "中国建设银行长沙分行"),
    "office": ("长沙文正办公用品有限公司", "800012345000001777", "长沙银行"),
    "clean": ("长沙洁美物业服务有限公司", "18030101040012888", "中国农业银行长沙分行"),
    "unionpay": ("银联商务股份有限公司湖南分公司", "43001500061050003999", "中国建设银行长沙分行"),
    "lakala": ("拉卡拉支付股份有限公司", "110060149018800004000", "交通银行北京分行"),
    "builder": ("湖南宏远建设工程有限公司", "43050188360000004111", "中国建设银行长沙分行"),
    "builder2": ("湖南楚天建设有限公司", "1901003009200024222", "中国工商银行长沙分行"),
    "decor": ("长沙宏泰装饰工程有限公司", "800012345000004333", "长沙银行"),
    "equip": ("湖南华教教育装备有限公司", "43050186360000004444", "中国建设银行长沙分行"),
    "building_mat": ("长沙恒达建材贸易有限公司", "18030101040024555", "中国农业银行长沙分行"),
    "devices": ("湖南恒通设备有限公司", "43050185360000004666", "中国建设银行长沙分行"),
    "listed": ("长沙鑫源商贸（集团）有限公司", "800012345000004777", "长沙银行"),
    "listed_near": ("长沙鑫源商贸服务有限公司", "800012345000004888", "长沙银行"),
    "listed_acct": ("长沙速融信息咨询有限公司", "6230580000012345678", "长沙银行"),
    "lender": ("湖南星融消费金融有限公司", "43050184360000005111", "中国建设银行长沙分行"),
    "landlord": ("长沙福源置业有限公司", "43050183360000005222", "中国建设银行长沙分行"),
    "eduplatform": ("湖南智慧云教育科技有限公司", "1901002009200035333", "中国工商银行长沙分行"),
    "ads": ("长沙星火广告传媒有限公司", "800012345000005444", "长沙银行"),
    "tech": ("湖南云帆科技有限公司", "43050182360000005555", "中国建设银行长沙分行"),
    "print": ("长沙博文印务有限公司", "800012345000005666", "长沙银行"),
    "bus": ("长沙顺安校车服务有限公司", "43050181360000005777", "中国建设银行长沙分行"),
    "ccb": (CCB, "", "中国建设银行长沙分行"),
}
TAX_OFFICE = {d: (f"国家税务总局长沙市{d}税务局", "", "国家金库长沙市中心支库")
              for d in ["岳麓区", "天心区", "开福区", "雨花区", "芙蓉区"]}


class City:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.schools: list[School] = []
        self.accounts: list[Account] = []
        self.fees: list[Fee] = []
        self.planted: list[Planted] = []
        self.near: list[NearMiss] = []
        self.watchlist: list[tuple[str, str, str]] = []
        self.seq = 0
        self.fee_seq: dict[str, int] = {}
        self.used_names: set[str] = set()
        self.uscc_seq = 0
        self.idcard_seq = 0

    # -- parties ---------------------------------------------------------
    def person(self, name: Optional[str] = None, bank: Optional[str] = None) -> Party:
        if name is None:
            while True:
                name = self.rng.choice(SURNAMES) + "".join(
                    self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2])))
                if name not in self.used_names:
                    break
        self.used_names.add(name)
        bank = bank or self.rng.choice(BANKS_FOR_PEOPLE)
        card = CARD_PREFIX[bank] + "".join(str(self.rng.randrange(10)) for _ in range(13))
        self.idcard_seq += 1
        ident = f"4301{self.rng.randrange(10, 99)}********{self.idcard_seq:04d}"  # 18, masked
        return Party(name, card, bank, "person", ident)

    def org(self, key: str) -> Party:
        if key.startswith("tax:"):
            name, acct, bank = TAX_OFFICE[key[4:]]
        else:
            name, acct, bank = ORGS[key]
        return Party(name, acct, bank, "organisation", self.uscc_for(name))

    def named_org(self, name: str, acct: str, bank: str = SCHOOL_BANK) -> Party:
        return Party(name, acct, bank, "organisation", self.uscc_for(name))

    @staticmethod
    def uscc_for(name: str) -> str:
        # A stable, made-up 统一社会信用代码 derived from the name (no hash()).
        n = sum((i + 1) * ord(c) for i, c in enumerate(name))
        prefix = "12" if name.endswith("局") else "91"
        return f"{prefix}430100MA4L{n % 10**6:06d}"  # 18 characters

    # -- registry ----------------------------------------------------------
    def school(self, **kw) -> School:
        num = kw.pop("num")
        fmts = kw.pop("formats")
        openings = kw.pop("openings")
        csv_types = kw.pop("csv_types", True)
        s = School(accounts=[], uscc=f"52430100MJ{num:04d}{num * 37 % 1000:03d}X"[:18], **kw)
        for role, suffix, fmt, opening in (("supervised", "01", fmts[0], openings[0]),
                                           ("basic", "02", fmts[1], openings[1])):
            a = Account(f"4305018012340000{num:02d}{suffix}", SCHOOL_BANK, role, fmt, opening,
                        s.name, s, csv_types)
            s.accounts.append(a)
            self.accounts.append(a)
        self.schools.append(s)
        return s

    def school_party(self, acct: Account) -> Party:
        return Party(acct.holder, acct.number, acct.bank, "organisation",
                     acct.school.uscc if acct.school else self.uscc_for(acct.holder))

    # -- bank --------------------------------------------------------------
    def tx(self, acct: Account, when: datetime, amount: int, party: Party, purpose: str, *,
           style: str = "date", status: str = "booked", code: str = "", batch: Optional[Batch] = None) -> Tx:
        assert PERIOD_START <= local_day(when) <= PERIOD_END, when
        assert amount != 0
        self.seq += 1
        t = Tx(acct, when, style, amount, party, purpose, self.seq, status,
               code or ("RCDT" if amount > 0 else "ICDT"), batch=batch)
        t.e2e = f"E2E{self.seq:06d}"
        acct.txs.append(t)
        if batch is not None:
            batch.txs.append(t)
        return t

    def debit(self, acct: Account, when: datetime, yuan, party: Party, purpose: str, **kw) -> Tx:
        return self.tx(acct, when, -Y(yuan), party, purpose, **kw)

    def credit(self, acct: Account, when: datetime, yuan, party: Party, purpose: str, **kw) -> Tx:
        return self.tx(acct, when, Y(yuan), party, purpose, **kw)

    def own_transfer(self, school: School, src: str, dst: str, when: datetime, yuan, purpose: str,
                     style: str = "date") -> tuple[Tx, Tx]:
        a, b = school.acct(src), school.acct(dst)
        out = self.tx(a, when, -Y(yuan), self.school_party(b), purpose, style=style, code="OWNT")
        inn = self.tx(b, when, Y(yuan), self.school_party(a), purpose, style=style, code="OWNT")
        return out, inn

    def reverse(self, original: Tx, when: datetime, note: str) -> Tx:
        t = self.tx(original.account, when, -original.amount, original.party,
                    note, style=original.style, code="RVSL")
        t.reversal_of = original
        t.e2e = original.e2e
        original.reversed_by = t
        return t

    # -- fees --------------------------------------------------------------
    def student(self, school: School, grade: str, enrolled_at: Optional[date] = None) -> Student:
        n = self.fee_seq.get("stu" + school.id, 0) + 1
        self.fee_seq["stu" + school.id] = n
        return Student(f"S{school.id[3:]}{n:04d}", grade, self.person(), enrolled_at)

    def fee(self, school: School, student: Student, paid_at: datetime, yuan, fee_type: str, *,
            period: Optional[tuple[date, date]] = None, hours: Optional[int] = None,
            account: Optional[Account] = None, refund_of: Optional[Fee] = None,
            style: str = "local", grade: Optional[str] = None,
            settle_day: Optional[date] = None) -> Fee:
        n = self.fee_seq.get(school.id, 0) + 1
        self.fee_seq[school.id] = n
        f = Fee(f"F{school.id[3:]}-{n:05d}", school, student, paid_at, style, Y(yuan), fee_type,
                grade or student.grade, period[0] if period else None,
                period[1] if period else None, hours,
                (account or school.supervised).number,
                refund_of.fee_id if refund_of else "", student.enrolled_at, settle_day)
        self.fees.append(f)
        return f

    def pay(self, school: School, student: Student, paid_at: datetime, items: list[dict],
            purpose: str, *, account: Optional[Account] = None, bank_style: Optional[str] = None,
            fee_style: str = "local", payer: Optional[Party] = None,
            bank_when: Optional[datetime] = None) -> tuple[list[Fee], Tx]:
        """A parent's transfer paying one or more fee items (one bank credit)."""
        acct = account or school.supervised
        fees = [self.fee(school, student, paid_at, it["yuan"], it["type"], period=it.get("period"),
                         hours=it.get("hours"), account=acct, style=fee_style)
                for it in items]
        style = bank_style or ("local" if acct.fmt == "csv" else "date")
        total = sum(f.amount for f in fees)
        t = self.tx(acct, bank_when or paid_at, total, payer or student.parent, purpose, style=style)
        return fees, t

    def settle(self, school: School, day: date, platform: str, when: Optional[datetime] = None,
               style: str = "date") -> Tx:
        """The payment platform's settlement credit of one day's fees (T+0)."""
        due = [f for f in self.fees if f.school is school and f.settle_day == day and not f.settled]
        assert due, (school.id, day)
        for f in due:
            f.settled = True
        total = sum(f.amount for f in due)
        return self.tx(school.supervised, when or day_start(day), total, self.org(platform),
                       f"{day.month}月{day.day}日缴费结算 共{len(due)}笔", style=style)

    # -- planted cases -----------------------------------------------------
    def plant(self, rule: str, school: School, level: str, evidence, story: str) -> None:
        self.planted.append(Planted(rule, school, level, evidence, story))

    def near_miss(self, rule: str, school: Optional[School], records: list, note: str) -> None:
        self.near.append(NearMiss(rule, school, records, note))


# ---------------------------------------------------------------------------
# Ordinary traffic shared by all schools

PAYDAYS = [at(9, 10), at(10, 10), at(11, 8)]
SOCIAL_DAYS = [at(9, 13), at(10, 15), at(11, 15)]
UTILITY_DAYS = [at(9, 20), at(10, 21), at(11, 20)]
FUNDING_DAYS = [at(9, 5), at(10, 8), at(11, 5)]  # supervised → basic for running costs
MONTH_NAMES = {9: "9月", 10: "10月", 11: "11月"}


def ordinary_costs(city: City, s: School, staff: list[tuple[Party, int]], *, utilities=(3000, 900),
                   food: Optional[tuple[str, int]] = None, funding: Optional[list[int]] = None,
                   paydays=PAYDAYS, utility_days=UTILITY_DAYS, social_days=SOCIAL_DAYS,
                   food_days: Optional[list[datetime]] = None, interest: bool = True) -> None:
    """Salaries (工资) to staff, social insurance, power and water, a food
    supplier, and the monthly funding transfer from the supervised account."""
    rng = city.rng
    basic = s.basic
    for i, payday in enumerate(paydays):
        mname = MONTH_NAMES[payday.month]
        for person, salary in staff:
            wobble = rng.randrange(-300, 301)
            city.debit(basic, payday, salary + wobble, person, f"{mname}工资")
        payroll = sum(sal for _, sal in staff)  # yuan
        # Employer's social insurance: 31% of the payroll (yuan × 31 = fen × 0.31).
        city.tx(basic, social_days[i], -payroll * 31, city.org(f"tax:{s.district}"), f"{mname}社会保险费")
        power, water = utilities
        city.tx(basic, utility_days[i], -(Y(power + rng.randrange(-400, 401)) + rng.randrange(100)),
                city.org("power"), f"{mname}电费")
        city.tx(basic, utility_days[i], -(Y(water + rng.randrange(-150, 151)) + rng.randrange(100)),
                city.org("water"), f"{mname}水费")
        if food is not None:
            key, base = food
            fday = (food_days or [at(9, 27), at(10, 25), at(11, 22)])[i]
            city.debit(basic, fday, base + rng.randrange(-2000, 2001), city.org(key), f"{mname}食材配送款")
        if funding:
            city.own_transfer(s, "supervised", "basic", FUNDING_DAYS[payday.month - 9], funding[i],
                              f"{mname}运营经费划拨")
    if interest:
        # Quarterly interest on the 21st of the last month of the quarter, basic account only.
        city.tx(basic, at(9, 21), basic.opening // 2000, city.org("ccb"), "活期存款结息")  # 0.05% a quarter


def make_staff(city: City, n: int, low: int, high: int) -> list[tuple[Party, int]]:
    return [(city.person(), city.rng.randrange(low, high, 100)) for _ in range(n)]


# ---------------------------------------------------------------------------
# The city

AUTUMN = (date(2024, 9, 1), date(2025, 1, 31))
SEP = (date(2024, 9, 1), date(2024, 9, 30))
OCT = (date(2024, 10, 1), date(2024, 10, 31))
NOV = (date(2024, 11, 1), date(2024, 11, 30))
MONTH_PERIOD = {9: SEP, 10: OCT, 11: NOV}


def build_city() -> City:
    c = City()
    watchlist(c)
    kindergarten_inclusive(c)
    primary_qihang(c)
    nine_year_zhiyuan(c)
    middle_boya(c)
    high_xiangjiang(c)
    vocational_fenglin(c)
    training_chenxi(c)
    training_zhixue(c)
    clean_kindergarten(c)
    clean_primary(c)
    unregistered(c)
    return c


def watchlist(c: City) -> None:
    c.watchlist = [
        ("长沙鑫源商贸(集团)有限公司", "", "空壳公司：注册地址无实际经营，多所学校向其大额付款"),
        ("", "6230580000012345678", "涉嫌非法集资的资金归集账户（公安机关通报）"),
        ("湖南快易贷网络科技有限公司", "43050190000000008888", "未备案网络借贷平台"),
    ]


def monthly_items(month: int, tuition: Optional[int], meals: Optional[int]) -> list[dict]:
    items = []
    if tuition:
        items.append({"yuan": tuition, "type": "tuition", "period": MONTH_PERIOD[month]})
    if meals:
        items.append({"yuan": meals, "type": "meals", "period": MONTH_PERIOD[month]})
    return items


def kindergarten_inclusive(c: City) -> None:
    """CS-0101: inclusive (普惠) kindergarten, bank CSV without counterparty_type."""
    s = c.school(num=1, id="CS-0101", name="长沙市岳麓区星辰幼儿园", kind="kindergarten",
                 nonprofit=True, inclusive=True, district="岳麓区", enrollment=270, min_balance=None,
                 related=[{"name": "刘美华", "account": "6217002900012345671", "relation": "sponsor"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "1100.00", "per": "month"},
                            {"fee_type": "meals", "grade": "all", "cap": "450.00", "per": "month"}],
                 calendar=[], fee_format="csv", formats=("csv", "csv"),
                 openings=(Y(612000), Y(38000)), csv_types=False)
    rng = c.rng
    grades = ["小班", "中班", "大班"]
    kids = [c.student(s, grades[i % 3]) for i in range(10)]
    for i, k in enumerate(kids):
        when = at(9, 2 + i % 3, 9 + i % 8, rng.randrange(60))
        if i < 3:  # pays the quarter Sep–Nov at once
            c.pay(s, k, when, [{"yuan": 3300, "type": "tuition", "period": (date(2024, 9, 1), date(2024, 11, 30))},
                               {"yuan": 1200, "type": "meals", "period": (date(2024, 9, 1), date(2024, 11, 30))}],
                  "保育教育费及伙食费（9-11月）")
        else:
            for m, day in ((9, 2 + i % 3), (10, 8 + i % 3), (11, 1 + i % 4)):
                c.pay(s, k, at(m, day, 9 + i % 8, rng.randrange(60)), monthly_items(m, 1100, 400),
                      f"{k.grade}{MONTH_NAMES[m]}保育教育费伙食费")
    late = c.student(s, "小班")
    c.pay(s, late, at(11, 19, 17, 45), monthly_items(11, 1100, 400), "小班11月保育教育费伙食费（补缴）")
    over, near = c.student(s, "中班"), c.student(s, "大班")
    f_over, _ = c.pay(s, over, at(9, 3, 15, 20),
                      [{"yuan": 3600, "type": "tuition", "period": (date(2024, 9, 1), date(2024, 11, 30))}],
                      "保育教育费（9-11月）")
    f_near, _ = c.pay(s, near, at(9, 3, 16, 5),
                      [{"yuan": 3300, "type": "tuition", "period": (date(2024, 9, 1), date(2024, 11, 30))}],
                      "保育教育费（9-11月）")
    c.plant("FEE-OVER-CAP", s, "orange", f_over,
            "普惠园保育教育费 3,600.00 for Sep 1–Nov 30 = 3.0 months → 1,200.00/month > cap 1,100.00/month")
    c.near_miss("FEE-OVER-CAP", s, f_near,
                "3,300.00 for Sep 1–Nov 30 = exactly 1,100.00/month: equal to the cap is not above it")

    staff = make_staff(c, 3, 4200, 5600)
    ordinary_costs(c, s, staff, utilities=(1800, 600), food=("food", 9000),
                   funding=[90000, 120000, 100000])
    # Cash: the fire sums to exactly 50,000.00 on one local day (≥ is inclusive).
    cash1 = c.debit(s.basic, at(10, 15, 9, 10), 30000, Party(""), "现金支取 备用金", style="local")
    cash2 = c.debit(s.basic, at(10, 15, 14, 30), 20000, Party(""), "ATM取现", style="local")
    c.plant("FUND-CASH", s, "yellow", [cash1, cash2],
            "two cash withdrawals (现金支取 30,000.00 + ATM取现 20,000.00) on 2024-10-15 = 50,000.00 ≥ cash_day_total")
    n1 = c.debit(s.basic, at(11, 12, 9, 40), "29999.99", Party(""), "现金支取 备用金", style="local")
    n2 = c.debit(s.basic, at(11, 12, 15, 0), 20000, Party(""), "ATM取现", style="local")
    c.near_miss("FUND-CASH", s, [n1, n2],
                "cash withdrawals on 2024-11-12 sum to 49,999.99, one fen under cash_day_total")


def primary_qihang(c: City) -> None:
    """CS-0102: compulsory primary school; related-party payment, balance floor."""
    s = c.school(num=2, id="CS-0102", name="长沙市天心区启航小学", kind="primary",
                 nonprofit=True, inclusive=False, district="天心区", enrollment=960,
                 min_balance=Y(3000000),
                 related=[{"name": "湖南启航教育投资有限公司", "account": "43050186360000001234",
                           "relation": "sponsor"},
                          {"name": "陈志强", "account": "", "relation": "director"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "10000.00", "per": "semester"},
                            {"fee_type": "meals", "grade": "all", "cap": "600.00", "per": "month"}],
                 calendar=[], fee_format="jsonl", formats=("camt02", "camt08"),
                 openings=(Y(3390000), Y(1200000)))
    rng = c.rng
    grades = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
    pupils = [c.student(s, grades[i % 6]) for i in range(12)]
    for i, p in enumerate(pupils):
        c.pay(s, p, at(9, 2 + i % 4, 8 + i % 10, rng.randrange(60)),
              [{"yuan": 10000, "type": "tuition", "period": AUTUMN}] + monthly_items(9, None, 580),
              f"{p.grade}2024秋季学费及9月伙食费")
        if i % 2 == 0:
            for m, day in ((10, 8 + i % 3), (11, 4 + i % 3)):
                c.pay(s, p, at(m, day, 12, rng.randrange(60)), monthly_items(m, None, 580),
                      f"{MONTH_NAMES[m]}伙食费")
    staff = make_staff(c, 4, 5200, 8800)
    ordinary_costs(c, s, staff, utilities=(4200, 1300), food=("food2", 16000),
                   funding=[60000, 60000, 60000])
    sponsor = Party("湖南启航教育投资有限公司", "43050186360000001234", "中国建设银行长沙分行",
                    "organisation", c.uscc_for("湖南启航教育投资有限公司"))
    rel = c.debit(s.basic, at(10, 16), 36000, sponsor, "2024年三季度管理服务费")
    c.plant("FUND-RELATED", s, "red", rel,
            "compulsory-education school pays its sponsor 36,000.00 管理服务费 (matched by account): red at any amount")

    # Balance floor: a 700k purchase from the supervised account leaves it below
    # min_balance for one day; the basic account tops it up the next morning.
    equip = c.debit(s.supervised, at(10, 22), 700000, c.org("equip"), "教学设备采购款（多媒体教室）")
    c.own_transfer(s, "basic", "supervised", at(10, 23), 500000, "补足监管账户余额")
    c.plant("FUND-MINBAL", s, "orange",
            [("balance", s.supervised, date(2024, 10, 22)), equip],
            "supervised closing balance on 2024-10-22 falls below min_balance 3,000,000.00 (above half) after a 700,000.00 purchase")
    s.later["minbal_equal_day"] = date(2024, 11, 19)  # amount fixed in finalize (closing = min exactly)

    person = c.person("王建华")
    big = c.debit(s.basic, at(11, 12), 560000, person, "往来款")
    c.plant("FUND-TO-PERSON", s, "orange", big,
            "560,000.00 from the basic account to a natural person (王建华, PrvtId) as 往来款: ≥ person_single_high")
    # Cross-term prepayment: spring 2025 tuition collected in November.
    spring = (date(2025, 2, 1), date(2025, 7, 31))
    p = pupils[3]
    f_pre, _ = c.pay(s, p, at(11, 25, 10, 30), [{"yuan": 10000, "type": "tuition", "period": spring}],
                     "2025年春季学期学费")
    c.plant("FEE-PREPAY-TERM", s, "yellow", f_pre,
            "spring-2025 tuition (period Feb 1–Jul 31 2025) paid 2024-11-25, during the autumn term that ends 2025-01-31")


def nine_year_zhiyuan(c: City) -> None:
    """CS-0103: nine-year school with a long debit history (FUND-ANOMALY)."""
    s = c.school(num=3, id="CS-0103", name="长沙市开福区致远实验学校", kind="nine_year",
                 nonprofit=True, inclusive=False, district="开福区", enrollment=1800, min_balance=None,
                 related=[{"name": "湖南致远教育集团有限公司", "account": "43001511161050001234",
                           "relation": "sponsor"},
                          {"name": "周建明", "account": "6222021901000012345", "relation": "director"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "18000.00", "per": "semester"},
                            {"fee_type": "boarding", "grade": "all", "cap": "1500.00", "per": "semester"},
                            {"fee_type": "meals", "grade": "all", "cap": "700.00", "per": "month"}],
                 calendar=[], fee_format="csv", formats=("mt940env", "mt940"),
                 openings=(Y(5200000), Y(420000)))
    rng = c.rng
    grades = ["一年级", "三年级", "五年级", "七年级", "八年级", "九年级"]
    kids = [c.student(s, grades[i % 6]) for i in range(12)]
    for i, k in enumerate(kids):
        items = [{"yuan": 18000 if i % 3 else 16500, "type": "tuition", "period": AUTUMN}]
        if i % 2:
            items.append({"yuan": 1500, "type": "boarding", "period": AUTUMN})
        items += monthly_items(9, None, 680)
        c.pay(s, k, at(9, 2 + i % 5, 9, rng.randrange(60)), items, f"{k.grade}秋季学费等")
        if i % 3 == 0:
            for m, day in ((10, 8), (11, 4)):
                c.pay(s, k, at(m, day, 11 + i % 3), monthly_items(m, None, 680), f"{MONTH_NAMES[m]}伙食费")
    staff = make_staff(c, 9, 5600, 9600)
    ordinary_costs(c, s, staff, utilities=(9000, 2600), food=("food", 32000),
                   funding=[150000, 150000, 150000])
    c.debit(s.basic, at(9, 9), 24600, c.org("books"), "秋季教材教辅款")
    c.debit(s.basic, at(9, 25), 6800, c.org("print"), "作业本印刷费")
    c.debit(s.basic, at(10, 18), 12800, c.org("bus"), "10月校车服务费")
    c.debit(s.basic, at(11, 18), 12800, c.org("bus"), "11月校车服务费")
    near = c.debit(s.basic, at(9, 26), "49999.99", c.person("周伟"), "校园文化墙设计劳务费")
    c.near_miss("FUND-TO-PERSON", s, [near],
                "49,999.99 to a natural person (劳务费, not payroll): one fen under person_single")

    # Off-book income: four parents transfer 17,000.00 (补交学费) on 2024-10-09,
    # the school records only one of them.
    late = [c.student(s, "八年级") for _ in range(4)]
    f_one, t_one = c.pay(s, late[0], at(10, 9, 10, 5),
                         [{"yuan": 17000, "type": "tuition", "period": AUTUMN}], "补交秋季学费")
    others = [c.credit(s.supervised, at(10, 9), 17000, st.parent, "补交秋季学费") for st in late[1:]]
    c.plant("FEE-UNRECONCILED", s, "yellow", [f_one, t_one] + others,
            "2024-10-09: fees recorded into the supervised account 17,000.00, credits 68,000.00: "
            "|F−B| = 51,000.00 > 10,000.00 and > 5%")

    # An outlier debit after a long, regular history (≥ 30 earlier debits).
    out = c.debit(s.basic, at(11, 26), 286000, c.org("decor"), "综合楼外墙维修工程款")
    c.plant("FUND-ANOMALY", s, "blue", out,
            "286,000.00 repair payment on 2024-11-26 against a 90-day history of ≥ 30 debits "
            "(salaries, utilities, suppliers): far above mean + 4σ")


def middle_boya(c: City) -> None:
    """CS-0104: middle school: unlisted fee, admission donation, watch-listed supplier."""
    s = c.school(num=4, id="CS-0104", name="长沙市雨花区博雅中学", kind="middle",
                 nonprofit=True, inclusive=False, district="雨花区", enrollment=1100, min_balance=None,
                 related=[{"name": "长沙博雅文化发展有限公司", "account": "43050187360000004567",
                           "relation": "sponsor"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "12000.00", "per": "semester"},
                            {"fee_type": "meals", "grade": "all", "cap": "650.00", "per": "month"}],
                 calendar=[], fee_format="jsonl", formats=("csv", "mt940"),
                 openings=(Y(2860000), Y(310000)))
    rng = c.rng
    grades = ["七年级", "八年级", "九年级"]
    kids = [c.student(s, grades[i % 3], date(2024, 9, 1) if i % 3 == 0 else None) for i in range(12)]
    for i, k in enumerate(kids):
        c.pay(s, k, at(9, 2 + i % 4, 10 + i % 7, rng.randrange(60)),
              [{"yuan": 12000, "type": "tuition", "period": AUTUMN}] + monthly_items(9, None, 620),
              f"{k.grade}秋季学费及9月伙食费")
        if i % 2:
            for m, day in ((10, 9), (11, 5)):
                c.pay(s, k, at(m, day, 12, rng.randrange(60)), monthly_items(m, None, 620),
                      f"{MONTH_NAMES[m]}伙食费")
    f_mat, _ = c.pay(s, kids[4], at(9, 5, 16, 40), [{"yuan": 680, "type": "materials", "period": AUTUMN}],
                     "教辅资料费")
    c.plant("FEE-UNLISTED", s, "yellow", f_mat,
            "materials fee (教辅资料费 680.00) at a school whose published catalogue lists only tuition and meals")

    # Admission-linked donations: the fire is exactly 90 days after enrolment (inclusive).
    new = c.student(s, "七年级", date(2024, 9, 1))
    f_don, _ = c.pay(s, new, at(11, 30, 10, 0), [{"yuan": 50000, "type": "donation"}], "捐资助学款")
    c.plant("FEE-DONATION", s, "red", f_don,
            "50,000.00 donation paid 2024-11-30 by a student enrolled 2024-09-01: 90 days, inside the inclusive window")
    transfer = c.student(s, "八年级", date(2024, 6, 3))
    f_nd, _ = c.pay(s, transfer, datetime(2024, 9, 1, 16, 30, tzinfo=UTC), [{"yuan": 30000, "type": "donation"}],
                    "捐资助学款", fee_style="utc", bank_style="local")
    c.near_miss("FEE-DONATION", s, f_nd,
                "donation paid 2024-09-01T16:30:00Z = 2024-09-02 00:30 local, enrolled 2024-06-03: 91 days "
                "(a UTC-day reading would give 90 and fire)")
    c.near_miss("FEE-UNLISTED", s, [f_nd, f_don],
                "donations are not in the catalogue but are judged by FEE-DONATION, never as unlisted")

    staff = make_staff(c, 5, 5200, 8600)
    ordinary_costs(c, s, staff, utilities=(6200, 1800), food=("food2", 21000),
                   funding=[140000, 160000, 130000])
    listed = c.debit(s.basic, at(10, 17), 68000, c.org("listed"), "办公家具货款")
    c.plant("FUND-LISTED", s, "orange", listed,
            "68,000.00 to 长沙鑫源商贸（集团）有限公司 (full-width brackets); the watchlist names "
            "长沙鑫源商贸(集团)有限公司: equal after normalisation")
    nl = c.debit(s.basic, at(10, 24), 45000, c.org("listed_near"), "办公用品货款")
    c.near_miss("FUND-LISTED", s, [nl],
                "45,000.00 to 长沙鑫源商贸服务有限公司: a different company (name and account) from the listed one")

    # FUND-ANOMALY near miss: a large outlier with only 29 earlier debits in its window.
    s.later["anomaly_outlier"] = c.debit(s.basic, at(11, 18), 300000, c.org("decor"), "教学楼卫生间改造工程款")


def high_xiangjiang(c: City) -> None:
    """CS-0105: for-profit high school with its own academic calendar."""
    s = c.school(num=5, id="CS-0105", name="长沙市芙蓉区湘江高级中学", kind="high",
                 nonprofit=False, inclusive=False, district="芙蓉区", enrollment=2400,
                 min_balance=Y(8000000),
                 related=[{"name": "湖南湘江教育发展有限公司", "account": "43050183360000007788",
                           "relation": "sponsor"},
                          {"name": "长沙湘江物业管理有限公司", "account": "", "relation": "affiliate"},
                          {"name": "李湘平", "account": "6217002900077881234", "relation": "director"}],
                 catalogue=[{"fee_type": "tuition", "grade": "高一", "cap": "16000.00", "per": "semester"},
                            {"fee_type": "tuition", "grade": "高二", "cap": "16000.00", "per": "semester"},
                            {"fee_type": "tuition", "grade": "高三", "cap": "18000.00", "per": "semester"},
                            {"fee_type": "boarding", "grade": "all", "cap": "1800.00", "per": "semester"}],
                 calendar=[{"term": "2024-autumn", "start": "2024-08-26", "end": "2025-01-17"},
                           {"term": "2025-spring", "start": "2025-02-10", "end": "2025-06-30"}],
                 fee_format="csv", formats=("camt08", "csv"),
                 openings=(Y(13200000), Y(520000)))
    rng = c.rng
    term = (date(2024, 8, 26), date(2025, 1, 17))
    caps = {"高一": 16000, "高二": 16000, "高三": 18000}
    grades = ["高一", "高二", "高三"]
    # Tuition through the UnionPay platform, settled T+0 at 21:00 (camt BookgDt/DtTm).
    # One parent pays at 23:50 on Sep 2, after the cut-off: settled with Sep 3.
    late_fee = None
    for day, n in ((2, 24), (3, 23)):
        for i in range(n):
            g = grades[i % 3]
            st = c.student(s, g)
            f = c.fee(s, st, at(9, day, 8 + i % 12, rng.randrange(60)), caps[g], "tuition",
                      period=term, settle_day=date(2024, 9, day))
        if day == 2:
            st = c.student(s, "高一")
            late_fee = c.fee(s, st, at(9, 2, 23, 50), 16000, "tuition", period=term,
                             settle_day=date(2024, 9, 3))
        c.settle(s, date(2024, 9, day), "unionpay", at(9, day, 21), style="local")
    boarders = [c.student(s, grades[i % 3]) for i in range(6)]
    board_fees = []
    for i, st in enumerate(boarders):
        fs, _ = c.pay(s, st, at(9, 4, 9 + i), [{"yuan": 1800, "type": "boarding", "period": term}], "住宿费")
        board_fees += fs
    st = c.student(s, "高二")
    f_pre, _ = c.pay(s, st, at(9, 4, 16, 10),
                     [{"yuan": 1800, "type": "boarding", "period": (date(2024, 8, 26), date(2025, 1, 31))}],
                     "住宿费")
    c.plant("FEE-PREPAY-TERM", s, "yellow", f_pre,
            "boarding fee for Aug 26 2024–Jan 31 2025 at a school whose own calendar ends the autumn term "
            "2025-01-17 (under the default calendar, ending Jan 31, it would not fire)")
    c.near_miss("FEE-PREPAY-TERM", s, [board_fees[0]],
                "boarding fee whose period ends 2025-01-17, exactly the last day of the school's autumn term")
    c.near_miss("FEE-UNRECONCILED", s, [late_fee],
                "16,000.00 paid at 23:50 on 2024-09-02 is settled with Sep 3: both days differ by "
                "16,000.00 > recon_abs but ≤ 5% of the day's total (about 4%)")
    gaokao = c.student(s, "高三")
    f_other, _ = c.pay(s, gaokao, at(10, 12, 9, 30), [{"yuan": 2400, "type": "other", "period": OCT}],
                       "高三10月周末补课费")
    c.plant("FEE-UNLISTED", s, "yellow", f_other,
            "fee type other (高三周末补课费 2,400.00): not in the catalogue")
    # Costs: salaries paid individually, incl. a principal's salary with bonus.
    staff = make_staff(c, 3, 7800, 11800)
    ordinary_costs(c, s, staff, utilities=(15800, 3900), food=None, funding=None,
                   food_days=None)
    own = c.own_transfer(s, "supervised", "basic", at(9, 20), 3000000, "秋季学期运营资金划拨")
    c.own_transfer(s, "supervised", "basic", at(10, 30), 1500000, "工程款资金划拨")
    principal = c.person("孙丽华")
    pay52 = c.debit(s.basic, at(10, 10, 10, 0), 52000, principal, "10月工资及绩效", style="local")
    c.near_miss("FUND-TO-PERSON", s, [pay52],
                "52,000.00 to a natural person with purpose 10月工资及绩效: payroll is exempt")
    c.near_miss("FUND-LARGE", s, list(own),
                "own-account transfer of 3,000,000.00 supervised → basic on 2024-09-20: not a debit")
    # The large-value fire: 800,000.00 at 2024-10-23T16:45:00Z (= 10-24 00:45 local)
    # plus 1,200,000.00 at 09:30 local: one local day, two UTC days.
    l1 = c.debit(s.basic, datetime(2024, 10, 23, 16, 45, tzinfo=UTC), 800000, c.org("builder"),
                 "体育馆工程进度款（第一笔）", style="utc")
    l2 = c.debit(s.basic, at(10, 24, 9, 30), 1200000, c.org("builder"), "体育馆工程进度款（第二笔）",
                 style="local")
    c.plant("FUND-LARGE", s, "orange", [l1, l2],
            "basic account debits 800,000.00 (2024-10-23T16:45Z = 10-24 00:45 local) + 1,200,000.00 (10-24 09:30) "
            "= 2,000,000.00 on local day 2024-10-24")
    n1 = c.debit(s.basic, at(11, 5, 23, 30), 1000000, c.org("builder"), "体育馆工程进度款（第三笔）",
                 style="local")
    n2 = c.debit(s.basic, at(11, 6, 0, 30), 1000000, c.org("builder"), "体育馆工程进度款（第四笔）",
                 style="local")
    c.near_miss("FUND-LARGE", s, [n1, n2],
                "1,000,000.00 at 2024-11-05 23:30 and 1,000,000.00 at 11-06 00:30 local: two local days "
                "(both fall on UTC day 11-05, so a UTC-day reading would fire)")
    prop = Party("长沙湘江物业管理有限公司", "43050181360000009911", "中国建设银行长沙分行", "organisation",
                 c.uscc_for("长沙湘江物业管理有限公司"))
    rel = c.debit(s.basic, at(10, 15, 11, 0), 150000, prop, "2024年秋季物业管理费", style="local")
    c.plant("FUND-RELATED", s, "yellow", rel,
            "150,000.00 to the affiliate 长沙湘江物业管理有限公司 (registry gives no account: matched by name) "
            "at a non-compulsory school: ≥ related_review")


def vocational_fenglin(c: City) -> None:
    """CS-0106: vocational school; camt with batch, reversal and pending entry."""
    s = c.school(num=6, id="CS-0106", name="长沙枫林职业技术学校", kind="vocational",
                 nonprofit=True, inclusive=False, district="岳麓区", enrollment=2000, min_balance=None,
                 related=[{"name": "湖南枫林教育集团有限公司", "account": "43050188360000003344",
                           "relation": "sponsor"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "8000.00", "per": "year"},
                            {"fee_type": "boarding", "grade": "all", "cap": "800.00", "per": "semester"}],
                 calendar=[], fee_format="jsonl", formats=("camt02", "camt08"),
                 openings=(Y(9800000), Y(380000)))
    rng = c.rng
    grades = ["2024级", "2023级", "2022级"]
    kids = [c.student(s, grades[i % 3]) for i in range(14)]
    sup_fees = []
    for i, k in enumerate(kids):
        items = [{"yuan": 4000, "type": "tuition", "period": AUTUMN}]
        if i % 2 == 0:
            items.append({"yuan": 800, "type": "boarding", "period": AUTUMN})
        fs, _ = c.pay(s, k, at(9, 2 + i % 8, 9 + i % 9, rng.randrange(60)), items, f"{k.grade}秋季学费住宿费")
        sup_fees += fs
    wrong = c.student(s, "2024级")
    f_wrong, _ = c.pay(s, wrong, at(9, 9, 14, 20), [{"yuan": 4000, "type": "tuition", "period": AUTUMN}],
                       "秋季学费", account=s.basic)
    c.plant("FEE-WRONG-ACCOUNT", s, "orange", f_wrong,
            "tuition 4,000.00 paid into the basic account 43050180123400000602, not the supervised account")
    boarding = next(f for f in sup_fees if f.fee_type == "boarding")
    refund = c.fee(s, boarding.student, at(10, 10, 15, 0), -800, "boarding", period=AUTUMN,
                   account=s.basic, refund_of=boarding)
    c.debit(s.basic, at(10, 10), 800, boarding.student.parent, f"退住宿费 {boarding.fee_id}")
    c.near_miss("FEE-WRONG-ACCOUNT", s, [refund],
                "a refund (−800.00) paid out of the basic account: refunds are judged only by FEE-UNRECONCILED")

    # Payroll: September as one camt batch entry with three TxDtls (代发工资).
    staff = make_staff(c, 3, 6400, 9800)
    batch = Batch(msg_id="PAYROLL-202409")
    for person, salary in staff:
        c.debit(s.basic, at(9, 10), salary, person, "9月工资", batch=batch, code="SALA")
    ordinary_costs(c, s, staff, utilities=(12800, 3100), food=None, funding=[1200000, 1200000],
                   paydays=PAYDAYS[1:], social_days=SOCIAL_DAYS[1:], utility_days=UTILITY_DAYS[1:])
    # ordinary_costs counts months by paydays; September social insurance and utilities:
    payroll = sum(sal for _, sal in staff)
    c.tx(s.basic, at(9, 13), -payroll * 31, c.org("tax:岳麓区"), "9月社会保险费")
    c.debit(s.basic, at(9, 20), "12688.40", c.org("power"), "9月电费")
    c.debit(s.basic, at(9, 20), "3020.15", c.org("water"), "9月水费")
    c.own_transfer(s, "supervised", "basic", at(9, 5), 500000, "9月运营经费划拨")

    near_large = c.debit(s.supervised, at(9, 24), "1999999.99", c.org("builder2"), "实训楼建设工程款")
    c.near_miss("FUND-LARGE", s, [near_large],
                "one debit of 1,999,999.99 on 2024-09-24: one fen under large_day_total")
    pend = c.debit(s.supervised, at(11, 27), 2600000, c.org("builder2"), "实训楼工程尾款", status="pending")
    c.near_miss("FUND-LARGE", s, [pend],
                "2,600,000.00 debit with status PDNG (pending): counts for nothing until booked")

    # Structuring: three debits of 340,000.00 to one supplier within 24 h (date-only:
    # Oct 15, Oct 15, Oct 16 00:00 → the last is exactly 24 h after the first).
    sp = [c.debit(s.basic, at(10, 15), 340000, c.org("building_mat"), "实训楼材料款（一）"),
          c.debit(s.basic, at(10, 15), 340000, c.org("building_mat"), "实训楼材料款（二）"),
          c.debit(s.basic, at(10, 16), 340000, c.org("building_mat"), "实训楼材料款（三）")]
    c.plant("FUND-SPLIT", s, "orange", sp,
            "3 × 340,000.00 to 长沙恒达建材贸易有限公司 on Oct 15, Oct 15, Oct 16 (last exactly 24 h after the first, inclusive) "
            "= 1,020,000.00 ≥ split_total, each under large_day_total")
    nsp = [c.debit(s.basic, at(11, 19), "333333.33", c.org("devices"), "实训设备款（一）"),
           c.debit(s.basic, at(11, 19), "333333.33", c.org("devices"), "实训设备款（二）"),
           c.debit(s.basic, at(11, 20), "333333.33", c.org("devices"), "实训设备款（三）")]
    c.near_miss("FUND-SPLIT", s, nsp,
                "3 × 333,333.33 to one supplier within 24 h = 999,999.99: one fen under split_total")

    liu = c.person("刘建国")
    tp = c.debit(s.basic, at(10, 29), 120000, liu, "往来款")
    c.plant("FUND-TO-PERSON", s, "yellow", tp,
            "120,000.00 to a natural person (刘建国, PrvtId) as 往来款: ≥ person_single, < person_single_high")
    ma = c.person("马超")
    orig = c.debit(s.basic, at(10, 23), 80000, ma, "往来款")
    rv = c.reverse(orig, at(10, 23), "冲正：收款人账户信息有误，原路退回")
    c.near_miss("FUND-TO-PERSON", s, [orig, rv],
                "80,000.00 to a natural person, reversed the same day (RvslInd): the reversal cancels it")

    sponsor = Party("湖南枫林教育集团有限公司", "43050188360000003344", "中国建设银行长沙分行",
                    "organisation", c.uscc_for("湖南枫林教育集团有限公司"))
    loan = c.credit(s.basic, at(9, 10), 200000, sponsor, "举办者借款（周转）")
    repay = c.debit(s.basic, at(11, 15), "99999.99", sponsor, "归还举办者借款")
    c.near_miss("FUND-ROUNDTRIP", s, [loan, repay],
                "a 200,000.00 借款 credit from the sponsor is followed by 99,999.99 back to it: 49.999995% < roundtrip_share")
    c.near_miss("FUND-RELATED", s, [repay],
                "99,999.99 to the sponsor at a non-compulsory school: one fen under related_review")
    listed = c.credit(s.basic, at(10, 28), 30000, c.org("listed_acct"), "借款")
    c.plant("FUND-LISTED", s, "orange", listed,
            "30,000.00 credit from account 6230580000012345678, on the watchlist by account only")


def training_chenxi(c: City) -> None:
    """CS-0107: for-profit training company: prepaid fees out, capital round trip,
    training loans, and a late-November drain."""
    s = c.school(num=7, id="CS-0107", name="长沙晨曦艺术培训学校有限公司", kind="training",
                 nonprofit=False, inclusive=False, district="开福区", enrollment=320, min_balance=None,
                 related=[{"name": "长沙晨曦文化投资有限公司", "account": "43050189360000005566",
                           "relation": "sponsor"},
                          {"name": "长沙晨曦文化传播有限公司", "account": "43050189360000006677",
                           "relation": "affiliate"},
                          {"name": "周晓东", "account": "6217002900056781234", "relation": "director"}],
                 catalogue=[{"fee_type": "training", "grade": "all", "cap": "150.00", "per": "hour"},
                            {"fee_type": "materials", "grade": "all", "cap": "300.00", "per": "semester"}],
                 calendar=[], fee_format="csv", formats=("mt940", "csv"),
                 openings=(Y(618000), Y(46000)))
    rng = c.rng
    courses = [("少儿美术", 40, 6000), ("少儿舞蹈", 48, 7200), ("钢琴", 24, 3600), ("书法", 32, 4800)]

    def enrol(day: date, n: int, settle: bool = True, course=None, materials=False) -> list[Fee]:
        fees = []
        for i in range(n):
            name, hours, amount = course or courses[(i + day.day) % len(courses)]
            st = c.student(s, name)
            end = add_months(day, 2) - timedelta(days=1)
            fees.append(c.fee(s, st, day_start(day) + timedelta(hours=10 + i % 9, minutes=rng.randrange(60)),
                              amount, "training", period=(day, end), hours=hours,
                              settle_day=day if settle else None))
            if materials and i % 2 == 0:
                fees.append(c.fee(s, st, day_start(day) + timedelta(hours=10 + i % 9, minutes=30), 280,
                                  "materials", period=(day, end), settle_day=day if settle else None))
        return fees

    # Regular enrolments settled daily by 拉卡拉 (MT940: date-only bookings).
    for d in (date(2024, 9, 1), date(2024, 9, 7), date(2024, 9, 14), date(2024, 9, 28),
              date(2024, 10, 19), date(2024, 10, 26), date(2024, 11, 2), date(2024, 11, 16)):
        enrol(d, 3 + d.day % 3, materials=d.month == 9)
        if d == date(2024, 9, 1):
            st1, st2 = c.student(s, "少儿舞蹈"), c.student(s, "少儿舞蹈")
            f_long = c.fee(s, st1, at(9, 1, 15, 0), 7200, "training",
                           period=(date(2024, 9, 1), date(2024, 12, 1)), hours=48, settle_day=d)
            f_ok = c.fee(s, st2, at(9, 1, 15, 20), 7200, "training",
                         period=(date(2024, 9, 1), date(2024, 11, 30)), hours=48, settle_day=d)
            c.plant("FEE-PREPAY-TRAINING", s, "orange", f_long,
                    "training fee for Sep 1–Dec 1: period_end on Sep 1 + 3 months = Dec 1 → more than 3 months")
            c.near_miss("FEE-PREPAY-TRAINING", s, [f_ok],
                        "training fee for Sep 1–Nov 30 (48 hours): 3.0 months, not more than prepay_months")
        c.settle(s, d, "lakala")
    # Pass-through: 15 enrolments (126,000.00) settled 2024-10-08, and two days later
    # 110,000.00 leaves for rent: ≥ 80% of the credits within 72 h.
    autumn_course = ("秋季集训班", 56, 8400)
    enrol(date(2024, 10, 8), 15, course=autumn_course)
    settle_oct8 = c.settle(s, date(2024, 10, 8), "lakala")
    rent = c.debit(s.supervised, at(10, 10), 110000, c.org("landlord"), "场地租金（10-12月）")
    c.plant("FUND-PASSTHRU", s, "orange", [rent, settle_oct8],
            "126,000.00 of course fees settled into the supervised account on 2024-10-08; 110,000.00 paid out "
            "2024-10-10 (87% of them, ≥ passthru_min) to the landlord")
    # Near miss: exactly 72 h between credits and the debit (date-only), so the
    # credits are outside the half-open window (t − 72 h, t].
    enrol(date(2024, 11, 4), 12, course=autumn_course)
    enrol(date(2024, 11, 4), 1, course=("寒假预备班", 28, 4200))
    n_settle = c.settle(s, date(2024, 11, 4), "lakala")
    n_debit = c.debit(s.supervised, at(11, 7), 100000, c.org("eduplatform"), "线上教学平台年度服务费")
    c.near_miss("FUND-PASSTHRU", s, [n_settle, n_debit],
                "105,000.00 settled 2024-11-04 (date-only) and 100,000.00 paid 2024-11-07 (date-only): exactly 72 h "
                "apart, outside the half-open window")
    # Training loan: a consumer-finance company pays a course for a student.
    st = c.student(s, "成人油画")
    f_loan, t_loan = c.pay(s, st, at(10, 12, 11, 0),
                           [{"yuan": 8400, "type": "training", "period": (date(2024, 10, 12), date(2024, 12, 31)),
                             "hours": 56}],
                           "分期放款 学员课程费", payer=c.org("lender"))
    c.plant("FEE-LOAN", s, "orange", t_loan,
            "8,400.00 credit from 湖南星融消费金融有限公司 (消费金融) into a training institution's account")
    st = c.student(s, "钢琴")
    f_inst, t_inst = c.pay(s, st, at(9, 20, 19, 0),
                           [{"yuan": 6000, "type": "training", "period": (date(2024, 9, 20), date(2024, 11, 19)),
                             "hours": 40}],
                           "课程费分期付款 第2期")
    c.near_miss("FEE-LOAN", s, [t_inst],
                "a parent's own transfer whose purpose says 分期: FEE-LOAN looks at the counterparty's name only")
    # Capital round trip: 500,000.00 注册资本金 in, then 265,000.00 back to related parties.
    sponsor = Party("长沙晨曦文化投资有限公司", "43050189360000005566", "中国建设银行长沙分行", "organisation",
                    c.uscc_for("长沙晨曦文化投资有限公司"))
    affiliate = Party("长沙晨曦文化传播有限公司", "43050189360000006677", "中国建设银行长沙分行",
                      "organisation", c.uscc_for("长沙晨曦文化传播有限公司"))
    cap = c.credit(s.basic, at(9, 5, 10, 0), 500000, sponsor, "股东缴纳注册资本金", style="local")
    r1 = c.debit(s.basic, at(10, 17, 14, 0), 90000, sponsor, "咨询服务费", style="local")
    r2 = c.debit(s.basic, at(10, 31, 14, 0), 95000, affiliate, "品牌宣传推广费", style="local")
    r3 = c.debit(s.basic, at(11, 14, 14, 0), 80000, sponsor, "管理费", style="local")
    c.plant("FUND-ROUNDTRIP", s, "red", [cap, r1, r2, r3],
            "500,000.00 注册资本金 from the sponsor (2024-09-05), then 90,000 + 95,000 + 80,000 = 265,000.00 to the "
            "sponsor and its affiliate within 180 days: ≥ 50%")
    # Running costs from the basic account, funded by the capital.
    staff = make_staff(c, 3, 4200, 6800)
    ordinary_costs(c, s, staff, utilities=(2600, 500), food=None, funding=None, interest=False,
                   utility_days=[at(9, 19), at(10, 18), at(11, 19)])
    # The drain: amounts are set in finalize from the supervised balance.
    s.later["drain"] = [c.debit(s.supervised, at(11, 25), 1, c.org("devices"), "教学设备款"),
                c.debit(s.supervised, at(11, 27), 1, c.org("ads"), "广告投放费")]
    enrol(date(2024, 11, 19), 2, course=("钢琴", 24, 3600))
    c.settle(s, date(2024, 11, 19), "lakala")


def training_zhixue(c: City) -> None:
    """CS-0108: non-profit training centre with a risk-reserve floor."""
    s = c.school(num=8, id="CS-0108", name="长沙市雨花区智学教育培训中心", kind="training",
                 nonprofit=True, inclusive=False, district="雨花区", enrollment=450,
                 min_balance=Y(500000),
                 related=[{"name": "长沙智学教育科技有限公司", "account": "43050182360000009900",
                           "relation": "sponsor"}],
                 catalogue=[{"fee_type": "training", "grade": "all", "cap": "180.00", "per": "hour"}],
                 calendar=[], fee_format="jsonl", formats=("csv", "camt08"),
                 openings=(Y(1046000), Y(52000)))
    rng = c.rng
    subjects = ["编程", "机器人", "科学实验", "围棋"]

    def course(day: datetime, hours: int, yuan, *, style="local", weeks=8, start: Optional[date] = None,
               end: Optional[date] = None, grade=None, bank_style=None) -> tuple[Fee, Tx]:
        st = c.student(s, grade or subjects[rng.randrange(len(subjects))])
        first = start or local_day(day)
        last = end or first + timedelta(weeks=weeks) - timedelta(days=1)
        fs, t = c.pay(s, st, day, [{"yuan": yuan, "type": "training", "period": (first, last), "hours": hours}],
                      f"{st.grade}课程费", fee_style=style, bank_style=bank_style)
        return fs[0], t

    for m, days in ((9, (2, 3, 6, 7, 14, 21)), (10, (8, 12, 16, 26)), (11, (2, 9))):
        for j, d in enumerate(days):
            hours = [24, 32, 40, 48][(d + j) % 4]
            course(at(m, d, 10 + j, rng.randrange(60)), hours, hours * 180 - (0 if j % 2 else hours * 10))
    f_over, _ = course(at(9, 7, 15, 0), 40, 8000)
    c.plant("FEE-OVER-CAP", s, "orange", f_over, "8,000.00 for 40 class hours = 200.00/hour > cap 180.00/hour")
    f_cap, _ = course(at(9, 7, 15, 30), 48, 8640)
    c.near_miss("FEE-OVER-CAP", s, [f_cap], "8,640.00 for 48 hours = exactly 180.00/hour: equal to the cap")
    f_hours, _ = course(at(10, 8, 16, 0), 72, 12960, start=date(2024, 10, 8), end=date(2024, 12, 31))
    c.plant("FEE-PREPAY-TRAINING", s, "orange", f_hours,
            "72 class hours bought at once (12,960.00, Oct 8–Dec 31): more than prepay_hours 60")
    # 60 hours paid at 2024-10-14T16:20Z = 2024-10-15 00:20 local; the bank books it 10-15 (date only).
    f_60, t_60 = course(datetime(2024, 10, 14, 16, 20, tzinfo=UTC), 60, 10800, style="utc",
                        start=date(2024, 10, 15), end=date(2024, 12, 31), bank_style="date")
    c.near_miss("FEE-PREPAY-TRAINING", s, [f_60], "exactly 60 class hours (and Oct 15–Dec 31): not more than 60")
    c.near_miss("FEE-UNRECONCILED", s, [f_60, t_60],
                "fee paid 2024-10-14T16:20:00Z (= 10-15 00:20 local), credit booked 2024-10-15 (date only): the same "
                "local day (a UTC-day reading would see 10,800.00 unmatched on 10-14 and on 10-15)")
    staff = make_staff(c, 3, 4800, 7200)
    ordinary_costs(c, s, staff, utilities=(2200, 400), food=None, funding=[60000, 420000, 60000],
                   utility_days=[at(9, 19), at(10, 18), at(11, 19)])
    # The drain (October): amounts set in finalize from the supervised balance.
    s.later["drain"] = [c.debit(s.basic, at(10, 21), 1, c.org("equip"), "教学设备采购款"),
                c.debit(s.basic, at(10, 24), 1, c.org("decor"), "教室装修款")]
    # The floor: the whole reserve moved to the basic account for a day (own transfer).
    s.later["minbal_out"] = c.own_transfer(s, "supervised", "basic", at(11, 26), 1, "资金调拨")
    c.own_transfer(s, "basic", "supervised", at(11, 27), 400000, "资金调回")


def clean_kindergarten(c: City) -> None:
    """CS-0109: clean for-profit kindergarten (no alerts)."""
    s = c.school(num=9, id="CS-0109", name="长沙市芙蓉区晨光幼儿园", kind="kindergarten",
                 nonprofit=False, inclusive=False, district="芙蓉区", enrollment=180, min_balance=None,
                 related=[{"name": "长沙晨光教育管理有限公司", "account": "43050181360000001357",
                           "relation": "sponsor"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "2800.00", "per": "month"},
                            {"fee_type": "meals", "grade": "all", "cap": "500.00", "per": "month"}],
                 calendar=[], fee_format="csv", formats=("camt02", "mt940"),
                 openings=(Y(730000), Y(64000)))
    rng = c.rng
    kids = [c.student(s, ["小班", "中班", "大班"][i % 3]) for i in range(9)]
    for i, k in enumerate(kids):
        for m, day in ((9, 2 + i % 3), (10, 8 + i % 2), (11, 1 + i % 3)):
            c.pay(s, k, at(m, day, 8 + i % 9, rng.randrange(60)), monthly_items(m, 2800, 480),
                  f"{MONTH_NAMES[m]}保教费伙食费")
    staff = make_staff(c, 3, 4600, 6200)
    ordinary_costs(c, s, staff, utilities=(1500, 500), food=("food", 12000), funding=[60000, 60000, 60000])
    c.debit(s.basic, at(10, 15), 18600, c.org("tax:芙蓉区"), "三季度增值税及附加")


def clean_primary(c: City) -> None:
    """CS-0110: clean primary school with a comfortable balance floor."""
    s = c.school(num=10, id="CS-0110", name="长沙市天心区德润小学", kind="primary",
                 nonprofit=True, inclusive=False, district="天心区", enrollment=720,
                 min_balance=Y(1000000),
                 related=[{"name": "湖南德润教育基金会", "account": "43050180360000002468",
                           "relation": "sponsor"}],
                 catalogue=[{"fee_type": "tuition", "grade": "all", "cap": "9000.00", "per": "semester"},
                            {"fee_type": "meals", "grade": "all", "cap": "550.00", "per": "month"}],
                 calendar=[], fee_format="jsonl", formats=("csv", "camt02"),
                 openings=(Y(2450000), Y(150000)))
    rng = c.rng
    grades = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
    kids = [c.student(s, grades[i % 6]) for i in range(11)]
    meal_fees = []
    for i, k in enumerate(kids):
        fs, _ = c.pay(s, k, at(9, 2 + i % 3, 9 + i % 9, rng.randrange(60)),
                      [{"yuan": 9000 if i % 4 else 8200, "type": "tuition", "period": AUTUMN}]
                      + monthly_items(9, None, 530), f"{k.grade}秋季学费9月餐费")
        meal_fees += [f for f in fs if f.fee_type == "meals"]
        for m, day in ((10, 9), (11, 6)):
            c.pay(s, k, at(m, day, 13, rng.randrange(60)), monthly_items(m, None, 530), f"{MONTH_NAMES[m]}餐费")
    # A refund out of the supervised account (a pupil moved away).
    orig = meal_fees[2]
    c.fee(s, orig.student, at(9, 27, 10, 0), -530, "meals", period=SEP, refund_of=orig)
    c.debit(s.supervised, at(9, 27, 10, 5), 530, orig.student.parent, f"退9月餐费 {orig.fee_id}", style="local")
    staff = make_staff(c, 4, 5200, 7600)
    ordinary_costs(c, s, staff, utilities=(3600, 1100), food=("food2", 14000), funding=[70000, 80000, 70000])


def unregistered(c: City) -> None:
    """An account of an unregistered tutoring company: stored, no school."""
    acct = Account("43050180123400009901", SCHOOL_BANK, "basic", "mt940", Y(86000),
                   "长沙市开福区未来星教育咨询有限公司", None)
    c.accounts.append(acct)
    rng = c.rng
    for m, days in ((9, (3, 8, 15)), (10, (9, 20)), (11, (3, 17))):
        for d in days:
            c.credit(acct, at(m, d), rng.choice([3600, 4800, 5400, 6000]), c.person(), "课程费")
    for m in (9, 10, 11):
        for _ in range(2):
            c.debit(acct, at(m, 12), rng.randrange(4200, 6800, 100), c.person(), f"{MONTH_NAMES[m]}工资")
        c.debit(acct, at(m, 25), 9800, c.org("landlord"), f"{MONTH_NAMES[m]}房租")


# ---------------------------------------------------------------------------
# Finalize: amounts that depend on balances, references, running balances


def booked(acct: Account) -> list[Tx]:
    return [t for t in sorted(acct.txs, key=lambda t: (t.when, t.seq)) if t.status == "booked"]


def balance_at(acct: Account, before: datetime) -> int:
    """The booked balance of an account just before an instant."""
    return acct.opening + sum(t.amount for t in booked(acct) if t.when < before)


def round_down(fen: int, step_yuan: int) -> int:
    step = step_yuan * 100
    return fen // step * step


def finalize(c: City) -> None:
    by_id = {s.id: s for s in c.schools}

    # CS-0102: a day whose supervised closing balance equals min_balance exactly.
    s = by_id["CS-0102"]
    day = s.later["minbal_equal_day"]
    bal = balance_at(s.supervised, day_start(day))
    amount = bal - s.min_balance
    assert amount > Y(100000), fmt_amount(amount)
    t = c.tx(s.supervised, day_start(day), -amount, c.org("decor"), "教学楼屋面防水维修工程款")
    c.near_miss("FUND-MINBAL", s, [t],
                f"the supervised account closes {day} at exactly min_balance 3,000,000.00 after a "
                f"{money(amount)} payment: equal is not below")

    # CS-0101: a week whose debits stay just under 30% of the reference balance.
    s = by_id["CS-0101"]
    t = at(11, 27, 10, 0)
    ref_day = local_day(t - timedelta(days=7)) - timedelta(days=1)
    ref = balance_at(s.supervised, day_start(ref_day + timedelta(days=1)))
    others = -sum(d.amount for d in window_debits(c, s, t))
    target = -(-ref * 3 // 10) - 1  # the largest total in fen below 30%
    d = c.tx(s.supervised, t, -(target - others), c.org("decor"), "教室吊顶及防水维修", style="local")
    c.near_miss("FUND-DRAIN", s, window_debits(c, s, t),
                f"the week to 2024-11-27 10:00 holds {money(target)} of debits (incl. a {money(-d.amount)} repair): "
                f"one fen under 30% of the supervised balance {money(ref)} on {ref_day}")

    # CS-0107: a late-November drain, > 50% of the supervised balance in 7 days.
    s = by_id["CS-0107"]
    x1, x2 = s.later["drain"]
    ref_day = local_day(x2.when - timedelta(days=7)) - timedelta(days=1)
    ref = balance_at(s.supervised, day_start(ref_day + timedelta(days=1)))
    x1.amount = -round_down(ref * 26 // 100, 1000)
    x2.amount = -round_down(ref * 29 // 100, 1000)
    s.later["drain_ref"] = (ref_day, ref)
    c.plant("FUND-DRAIN", s, "red", lambda s=s, t=x2.when: window_debits(c, s, t),
            f"{money(-x1.amount)} (11-25) + {money(-x2.amount)} (11-27) leave the school within 7 days: "
            f"> 50% of the supervised balance {money(ref)} on {ref_day}")

    # CS-0108: an October drain between 30% and 50%.
    s = by_id["CS-0108"]
    x1, x2 = s.later["drain"]
    ref_day = local_day(x2.when - timedelta(days=7)) - timedelta(days=1)
    ref = balance_at(s.supervised, day_start(ref_day + timedelta(days=1)))
    x1.amount = -round_down(ref * 18 // 100, 100)
    x2.amount = -round_down(ref * 17 // 100, 100)
    c.plant("FUND-DRAIN", s, "orange", lambda s=s, t=x2.when: window_debits(c, s, t),
            f"{money(-x1.amount)} (10-21) + {money(-x2.amount)} (10-24) from the basic account plus the "
            f"week's other debits: > 30% and ≤ 50% of the supervised balance {money(ref)} on {ref_day}")

    # CS-0108: the floor: everything above 230,000.00 leaves for the basic account.
    out, inn = s.later["minbal_out"]
    bal = balance_at(s.supervised, out.when)
    amount = bal - Y(230000)
    out.amount, inn.amount = -amount, amount
    c.plant("FUND-MINBAL", s, "red", [("balance", s.supervised, local_day(out.when))],
            f"own transfer of {money(amount)} to the basic account leaves the supervised account at 230,000.00 "
            "on 2024-11-26: below half of min_balance 500,000.00 (no debits that day: an own transfer is not one)")

    # CS-0104: FUND-ANOMALY near miss: pad the history to exactly 29 earlier debits.
    s = by_id["CS-0104"]
    outlier = s.later["anomaly_outlier"]
    fillers = [at(9, 23), at(9, 24), at(10, 14), at(10, 22), at(10, 28), at(11, 11), at(11, 13), at(9, 3)]
    while True:
        n = len([d for d in school_debits(c, s) if outlier.when - timedelta(days=90) <= d.when < outlier.when])
        if n >= 29:
            break
        when = fillers.pop(0)
        c.debit(s.basic, when, 800 + c.rng.randrange(0, 2000), c.org("office"), "办公用品采购")
    assert n == 29, n
    c.near_miss("FUND-ANOMALY", s, [outlier],
                "300,000.00 outlier with only 29 earlier debits in [t − 90 days, t): under anomaly_min_history 30")

    # The baseline behind the FUND-ANOMALY case, for the reader of PLANTED.md.
    for p in c.planted:
        if p.rule == "FUND-ANOMALY":
            t = p.evidence
            hist = [-h.amount for h in school_debits(c, p.school) if t.when - timedelta(days=90) <= h.when < t.when]
            mean = Fraction(sum(hist), len(hist))
            sd = float(Fraction(sum(x * x for x in hist), len(hist)) - mean * mean) ** 0.5
            p.story += (f" (history: {len(hist)} debits, mean {money(round(mean))}, σ {money(round(sd))}, "
                        f"mean + 4σ = {money(round(mean + 4 * Fraction(sd)))})")

    assign_references(c)
    for a in c.accounts:
        run = a.opening
        for t in booked(a):
            run += t.amount
            t.balance_after = run
            assert run >= 0, (a.number, t.when, fmt_amount(run))


def assign_references(c: City) -> None:
    for a in c.accounts:
        counters: dict[date, int] = {}
        for t in sorted(a.txs, key=lambda t: (t.when, t.seq)):
            if t.batch is not None and t.batch.ref:
                t.ref = f"{t.batch.ref}#{t.batch.txs.index(t) + 1}"
                continue
            d = t.day
            counters[d] = counters.get(d, 0) + 1
            ref = f"{d:%Y%m%d}{a.number[-4:]}{counters[d]:04d}"
            if t.batch is not None:
                t.batch.ref = ref
                t.ref = f"{ref}#{t.batch.txs.index(t) + 1}"
            else:
                t.ref = ref
    refs = [t.ref for a in c.accounts for t in a.txs]
    assert len(refs) == len(set(refs)), "bank references must be unique"


# ---------------------------------------------------------------------------
# Reference evaluator of rules-catalogue.md (used to prove the planted set)


@dataclass
class Reading:
    """How the evaluator reads the points the catalogue leaves open."""
    balance: str = "carry"  # carry: a day's balance is the last known one; strict: statement days only
    before_first: str = "skip"  # skip: no balance before the first statement; earliest: use it
    passthru_debits: str = "any"  # any account of the school, or supervised only
    minbal_days: str = "statement"  # statement days only, or every day (carried balance)
    closed_windows: bool = False  # informational: [t − W, t] instead of (t − W, t]
    split_half_open: bool = False  # informational: FUND-SPLIT over (t − 24 h, t] instead of inclusive
    utc_days: bool = False  # informational: UTC calendar days instead of local days


def effective(c: City) -> list[Tx]:
    """Booked, not reversed, not reversals, of registered accounts."""
    out = []
    for a in c.accounts:
        if a.school is None:
            continue
        for t in a.txs:
            if t.status != "booked" or t.reversal_of is not None or t.reversed_by is not None:
                continue
            out.append(t)
    return sorted(out, key=lambda t: (t.when, t.seq))


def school_debits(c: City, s: School) -> list[Tx]:
    return [t for t in effective(c) if t.school is s and t.amount < 0 and not t.own]


def window_debits(c: City, s: School, t: datetime) -> list[Tx]:
    return [d for d in school_debits(c, s) if t - timedelta(days=7) < d.when <= t]


def the_day(rec, r: Reading) -> date:
    """The record's day: local (the catalogue), or, for the informational
    reading, the UTC date of a timed record (a date-only record keeps its date)."""
    when = rec.paid_at if isinstance(rec, Fee) else rec.when
    if r.utc_days and rec.style != "date":
        return when.astimezone(UTC).date()
    return local_day(when)


def in_window(x: datetime, t: datetime, width: timedelta, r: Reading) -> bool:
    return (t - width <= x <= t) if r.closed_windows else (t - width < x <= t)


class Balances:
    def __init__(self, acct: Account) -> None:
        self.acct = acct
        self.closing: dict[date, int] = {}
        run = acct.opening
        days = sorted({t.day for t in acct.txs})
        for d in days:
            run = acct.opening + sum(t.amount for t in booked(acct) if t.day <= d)
            self.closing[d] = run
        self.days = days

    def on(self, d: date, r: Reading) -> Optional[int]:
        if d in self.closing:
            return self.closing[d]
        if r.balance == "strict":
            return None
        earlier = [x for x in self.days if x <= d]
        if earlier:
            return self.closing[earlier[-1]]
        if d == self.days[0] - timedelta(days=1) or r.before_first == "earliest":
            return self.acct.opening
        return None


def matches(name: str, acct: str, entries: list[tuple[str, str]]) -> bool:
    for en, ea in entries:
        if ea and acct and normalise_account(ea) == normalise_account(acct):
            return True
        if en and name and normalise_name(en) == normalise_name(name):
            return True
    return False


def flatten(items) -> list:
    if not isinstance(items, list):
        return [items]
    out = []
    for it in items:
        out += flatten(it) if isinstance(it, list) else [it]
    return out


def evidence_key(items) -> frozenset:
    keys = set()
    for it in flatten(items):
        if isinstance(it, Tx):
            keys.add(("bank", it.ref))
        elif isinstance(it, Fee):
            keys.add(("fee", it.fee_id))
        else:
            _, acct, d = it
            keys.add(("balance", f"{acct.number}:{d.isoformat()}"))
    return frozenset(keys)


def terms_of(s: School) -> list[tuple[date, date]]:
    if s.calendar:
        return [(date.fromisoformat(t["start"]), date.fromisoformat(t["end"])) for t in s.calendar]
    terms = []
    for y in range(2023, 2027):
        terms.append((date(y, 2, 1), date(y, 7, 31)))
        terms.append((date(y, 9, 1), date(y + 1, 1, 31)))
    return sorted(terms)


def current_term(s: School, d: date) -> tuple[date, date]:
    for start, end in terms_of(s):
        if start <= d <= end:
            return start, end
    return min((t for t in terms_of(s) if t[0] > d), key=lambda t: t[0])


def evaluate(c: City, r: Reading) -> set[tuple]:
    alerts: set[tuple] = set()

    def fire(rule: str, s: School, level: str, items) -> None:
        alerts.add((rule, s.id, level, evidence_key(items)))

    recs = effective(c)
    wl = [(n, a) for n, a, _ in c.watchlist]
    for s in c.schools:
        mine = [t for t in recs if t.school is s]
        debits = [t for t in mine if t.amount < 0 and not t.own]
        credits = [t for t in mine if t.amount > 0 and not t.own]
        related = [(p["name"], p["account"]) for p in s.related]
        sup = s.supervised
        bal = Balances(sup)

        # FUND-LARGE, FUND-CASH: per account and day.
        for a in s.accounts:
            days: dict[date, list[Tx]] = {}
            for t in debits:
                if t.account is a:
                    days.setdefault(the_day(t, r), []).append(t)
            for d, ts in days.items():
                if -sum(t.amount for t in ts) >= P["large_day_total"]:
                    fire("FUND-LARGE", s, "orange", ts)
                cash = [t for t in ts if any(w in t.purpose.lower() for w in CASH_WORDS)]
                if cash and -sum(t.amount for t in cash) >= P["cash_day_total"]:
                    fire("FUND-CASH", s, "yellow", cash)
        for t in debits:
            amt = -t.amount
            # FUND-TO-PERSON
            if t.party.cls == "person" and amt >= P["person_single"] and not any(
                    w in t.purpose.lower() for w in PAYROLL_WORDS):
                fire("FUND-TO-PERSON", s, "orange" if amt >= P["person_single_high"] else "yellow", [t])
            # FUND-RELATED
            if matches(t.party.name, t.party.account, related):
                if s.kind in COMPULSORY:
                    fire("FUND-RELATED", s, "red", [t])
                elif amt >= P["related_review"]:
                    fire("FUND-RELATED", s, "yellow", [t])
        # FUND-LISTED
        for t in debits + credits:
            if matches(t.party.name, t.party.account, wl):
                fire("FUND-LISTED", s, "orange", [t])
        # FUND-ROUNDTRIP
        window = timedelta(days=P["roundtrip_window_days"])
        for cr in credits:
            if matches(cr.party.name, cr.party.account, related) and any(w in cr.purpose for w in CAPITAL_WORDS):
                back = [d for d in debits if matches(d.party.name, d.party.account, related)
                        and in_window(cr.when, d.when, window, r) and d.when >= cr.when]
                if back and -sum(d.amount for d in back) >= cr.amount * P["roundtrip_share"]:
                    fire("FUND-ROUNDTRIP", s, "red", [cr] + back)
        # FUND-DRAIN
        for t in sorted({d.when for d in debits}):
            win = [d for d in debits if in_window(d.when, t, timedelta(days=7), r)]
            ref_day = local_day(t - timedelta(days=7)) - timedelta(days=1)
            ref = bal.on(ref_day, r)
            if ref is None or ref <= 0:
                continue
            total = -sum(d.amount for d in win)
            if total > ref * P["drain_share_high"]:
                fire("FUND-DRAIN", s, "red", win)
            elif total > ref * P["drain_share"]:
                fire("FUND-DRAIN", s, "orange", win)
        # FUND-SPLIT
        def key(t: Tx) -> str:
            return "a:" + normalise_account(t.party.account) if t.party.account else "n:" + normalise_name(t.party.name)
        for t in debits:
            same = [d for d in debits if key(d) == key(t) and -d.amount < P["large_day_total"]
                    and (t.when - timedelta(hours=24) < d.when <= t.when if r.split_half_open
                         else t.when - timedelta(hours=24) <= d.when <= t.when)]
            if len(same) >= P["split_count"] and -sum(d.amount for d in same) >= P["split_total"]:
                fire("FUND-SPLIT", s, "orange", same)
        # FUND-PASSTHRU
        sup_credits = [t for t in credits if t.account is sup]
        for d in debits:
            if r.passthru_debits == "supervised" and d.account is not sup:
                continue
            ins = [cr for cr in sup_credits if in_window(cr.when, d.when, timedelta(hours=P["passthru_hours"]), r)]
            total = sum(cr.amount for cr in ins)
            if total > 0 and -d.amount >= total * P["passthru_share"] and -d.amount >= P["passthru_min"]:
                fire("FUND-PASSTHRU", s, "orange", [d] + ins)
        # FUND-MINBAL
        if s.min_balance is not None:
            if r.minbal_days == "statement":
                days = list(bal.days)
            else:
                days = [bal.days[0] + timedelta(days=i) for i in range((PERIOD_END - bal.days[0]).days + 1)]
            for d in days:
                b = bal.on(d, r)
                if b is not None and b < s.min_balance:
                    day_debits = [t for t in debits if t.account is sup and t.day == d]
                    fire("FUND-MINBAL", s, "red" if 2 * b < s.min_balance else "orange",
                         [("balance", sup, d)] + day_debits)
        # FUND-ANOMALY
        for t in debits:
            hist = [-h.amount for h in debits if t.when - timedelta(days=90) <= h.when < t.when]
            if len(hist) < P["anomaly_min_history"]:
                continue
            n = len(hist)
            mean = Fraction(sum(hist), n)
            var = Fraction(sum(x * x for x in hist), n) - mean * mean
            x = -t.amount
            if x > mean and (x - mean) ** 2 > P["anomaly_sigma"] ** 2 * var:
                fire("FUND-ANOMALY", s, "blue", [t])
        # FEE-LOAN
        if s.kind == "training":
            for t in credits:
                if any(w in t.party.name for w in LENDER_WORDS):
                    fire("FEE-LOAN", s, "orange", [t])

        # Fee rules.
        fees = [f for f in c.fees if f.school is s]
        for f in fees:
            if f.amount < 0:
                continue
            if f.fee_type != "donation":
                entries = [e for e in s.catalogue if e["fee_type"] == f.fee_type and e["grade"] in ("all", f.grade)]
                if not entries:
                    fire("FEE-UNLISTED", s, "yellow", [f])
                for e in entries:
                    cap = Y(e["cap"])
                    per = e["per"]
                    if per == "hour":
                        divisor = Fraction(f.hours)
                    elif per == "month":
                        divisor = months_covered(f.period_start, f.period_end)
                    elif per == "semester":
                        divisor = Fraction(len([1 for a, b in terms_of(s)
                                                if a <= f.period_end and f.period_start <= b]))
                    else:
                        months = months_covered(f.period_start, f.period_end)
                        divisor = months / 12 if months > 12 else Fraction(1)
                    if f.amount > cap * divisor:
                        fire("FEE-OVER-CAP", s, "orange", [f])
            if s.kind != "training" and f.period_end is not None:
                if f.period_end > current_term(s, the_day(f, r))[1]:
                    fire("FEE-PREPAY-TERM", s, "yellow", [f])
            if s.kind == "training" and f.period_end is not None:
                if f.period_end >= add_months(f.period_start, P["prepay_months"]) or (f.hours or 0) > P["prepay_hours"]:
                    fire("FEE-PREPAY-TRAINING", s, "orange", [f])
            if f.fee_type == "donation" and f.enrolled_at is not None:
                if abs((the_day(f, r) - f.enrolled_at).days) <= P["donation_window"]:
                    fire("FEE-DONATION", s, "red", [f])
            if f.receiving_account != sup.number:
                fire("FEE-WRONG-ACCOUNT", s, "orange", [f])
        # FEE-UNRECONCILED
        per_day: dict[date, tuple[list, list]] = {}
        for f in fees:
            if f.receiving_account == sup.number:
                per_day.setdefault(the_day(f, r), ([], []))[0].append(f)
        for t in sup_credits:
            per_day.setdefault(the_day(t, r), ([], []))[1].append(t)
        for d, (fs, ts) in per_day.items():
            F = sum(f.amount for f in fs)
            B = sum(t.amount for t in ts)
            diff = abs(F - B)
            if diff > P["recon_share"] * max(F, B) and diff > P["recon_abs"]:
                fire("FEE-UNRECONCILED", s, "yellow", fs + ts)
    return alerts


def planted_set(c: City) -> set[tuple]:
    out = set()
    for p in c.planted:
        items = p.evidence() if callable(p.evidence) else p.evidence
        if not isinstance(items, list):
            items = [items]
        out.add((p.rule, p.school.id, p.level, evidence_key(items)))
    return out


def alert_order(a: tuple) -> tuple:
    return a[0], a[1], a[2], sorted(a[3])


def describe(alerts) -> str:
    return "\n".join(f"  {a[0]} {a[1]} {a[2]} {sorted(k[1] for k in a[3])}"
                     for a in sorted(alerts, key=alert_order))


def prove(c: City) -> list[str]:
    """Evaluates every reading; returns notes on the informational ones."""
    expected = planted_set(c)
    required = [Reading(), Reading(balance="strict"), Reading(before_first="earliest"),
                Reading(passthru_debits="supervised"), Reading(minbal_days="every")]
    for r in required:
        got = evaluate(c, r)
        if got != expected:
            sys.exit(f"planted set does not match the evaluator under {r}:\n"
                     f"unexpected:\n{describe(got - expected)}\nmissing:\n{describe(expected - got)}")
    notes = []
    for label, r in (("closed windows [t − W, t]", Reading(closed_windows=True)),
                     ("FUND-SPLIT over a half-open 24 h", Reading(split_half_open=True)),
                     ("UTC calendar days", Reading(utc_days=True))):
        got = evaluate(c, r)
        for a in sorted(got - expected, key=alert_order):
            notes.append(f"{label}: would also fire {a[0]} at {a[1]} on {sorted(k[1] for k in a[3])}")
        for a in sorted(expected - got, key=alert_order):
            notes.append(f"{label}: would miss {a[0]} at {a[1]} ({sorted(k[1] for k in a[3])})")
    # Every near miss's records are outside every alert of its rule.
    for n in c.near:
        keys = evidence_key(n.records)
        assert keys, n.note
        for a in expected:
            if a[0] == n.rule and keys & a[3]:
                sys.exit(f"near miss {n.rule} {n.note} overlaps alert {a}")
    # One alert per rule and school: whatever dedup key a pack chooses, nothing merges.
    pairs = [(a[0], a[1]) for a in expected]
    assert len(pairs) == len(set(pairs)), "two planted alerts of one rule at one school"
    # FUND-MINBAL's "debits of that day": the school has none outside the supervised account.
    for p in c.planted:
        if p.rule == "FUND-MINBAL":
            _, acct, d = flatten(p.evidence)[0]
            assert all(t.account is acct for t in school_debits(c, p.school) if t.day == d)
    return notes


# ---------------------------------------------------------------------------
# Counterparty classification as formats.md describes it (for unmarked sources)


def classify(name: str) -> str:
    if not name:
        return ""
    if any(w in name for w in LEGAL_FORM_WORDS):
        return "organisation"
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return "person"
    return ""


# ---------------------------------------------------------------------------
# Writers


def by_month(txs: list[Tx]) -> dict[tuple[int, int], list[Tx]]:
    out: dict[tuple[int, int], list[Tx]] = {}
    for t in sorted(txs, key=lambda t: (t.when, t.seq)):
        out.setdefault((t.day.year, t.day.month), []).append(t)
    return out


def statement_days(acct: Account) -> list[tuple[date, int, int, list[Tx]]]:
    """(day, opening, closing, entries) for each day with entries."""
    out = []
    run = acct.opening
    days: dict[date, list[Tx]] = {}
    for t in sorted(acct.txs, key=lambda t: (t.when, t.seq)):
        days.setdefault(t.day, []).append(t)
    for d in sorted(days):
        opening = run
        run += sum(t.amount for t in days[d] if t.status == "booked")
        out.append((d, opening, run, days[d]))
    return out


def x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def camt_party(p: Party, v08: bool, ind: str) -> str:
    ident = ""
    if p.cls == "person" and p.ident:
        ident = (f"{ind}  <Id><PrvtId><Othr><Id>{x(p.ident)}</Id><SchmeNm><Cd>NIDN</Cd></SchmeNm></Othr>"
                 f"</PrvtId></Id>\n")
    elif p.cls == "organisation" and p.ident:
        ident = (f"{ind}  <Id><OrgId><Othr><Id>{x(p.ident)}</Id><SchmeNm><Cd>TXID</Cd></SchmeNm></Othr>"
                 f"</OrgId></Id>\n")
    body = f"{ind}  <Nm>{x(p.name)}</Nm>\n{ident}"
    if v08:
        body = "".join("  " + line + "\n" for line in body.rstrip("\n").split("\n"))
        return f"{ind}  <Pty>\n{body}{ind}  </Pty>\n"
    return body


def camt_acct(number: str, ind: str) -> str:
    return f"{ind}<Id><Othr><Id>{x(number)}</Id></Othr></Id>\n"


def camt_txdtls(t: Tx, v08: bool, in_batch: bool, ind: str) -> str:
    a = t.account
    me = Party(a.holder, a.number, a.bank, "organisation", a.school.uscc if a.school else City.uscc_for(a.holder))
    other = t.party
    # A reversal keeps the reversed payment's parties in their roles (ISO 20022
    # practice): a reversed debit still names the school as debtor.
    credit = (t.amount > 0) != (t.reversal_of is not None)
    dbtr, cdtr = (other, me) if credit else (me, other)
    lines = [f"{ind}<TxDtls>"]
    if in_batch:
        lines.append(f"{ind}  <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>")
    else:
        lines.append(f"{ind}  <Refs><AcctSvcrRef>{t.ref}</AcctSvcrRef><EndToEndId>{t.e2e}</EndToEndId></Refs>")
    if in_batch:
        if v08:
            lines.append(f'{ind}  <Amt Ccy="CNY">{fmt_amount(abs(t.amount))}</Amt>')
            lines.append(f"{ind}  <CdtDbtInd>{'CRDT' if t.amount > 0 else 'DBIT'}</CdtDbtInd>")
        lines.append(f'{ind}  <AmtDtls><TxAmt><Amt Ccy="CNY">{fmt_amount(abs(t.amount))}</Amt></TxAmt></AmtDtls>')
    if other.name:
        lines.append(f"{ind}  <RltdPties>")
        for tag, p in (("Dbtr", dbtr), ("Cdtr", cdtr)):
            lines.append(f"{ind}    <{tag}>")
            lines.append(camt_party(p, v08, ind + "    ").rstrip("\n"))
            lines.append(f"{ind}    </{tag}>")
            if p.account:
                lines.append(f"{ind}    <{tag}Acct>")
                lines.append(camt_acct(p.account, ind + "      ").rstrip("\n"))
                lines.append(f"{ind}    </{tag}Acct>")
        lines.append(f"{ind}  </RltdPties>")
        if other.bank:
            agt = "DbtrAgt" if credit else "CdtrAgt"
            lines.append(f"{ind}  <RltdAgts><{agt}><FinInstnId><Nm>{x(other.bank)}</Nm></FinInstnId></{agt}></RltdAgts>")
    lines.append(f"{ind}  <RmtInf><Ustrd>{x(t.purpose)}</Ustrd></RmtInf>")
    if t.reversal_of is not None:
        lines.append(f"{ind}  <RtrInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>{x('冲正 原交易 ' + t.reversal_of.ref)}"
                     f"</AddtlInf></RtrInf>")
    lines.append(f"{ind}</TxDtls>")
    return "\n".join(lines) + "\n"


def bktxcd(t: Tx) -> str:
    fam = {"RCDT": ("PMNT", "RCDT", "DMCT"), "ICDT": ("PMNT", "ICDT", "DMCT"), "SALA": ("PMNT", "ICDT", "SALA"),
           "OWNT": ("PMNT", "ICDT" if t.amount < 0 else "RCDT", "BOOK"),
           "RVSL": ("PMNT", "ICDT", "RRTN")}.get(t.code, ("PMNT", "RCDT", "DMCT"))
    if t.party.name == CCB:
        fam = ("ACMT", "MDOP", "INTR")
    return (f"<BkTxCd><Domn><Cd>{fam[0]}</Cd><Fmly><Cd>{fam[1]}</Cd><SubFmlyCd>{fam[2]}</SubFmlyCd></Fmly>"
            f"</Domn></BkTxCd>")


def camt_date(t: Tx, tag: str) -> str:
    if t.style == "date":
        return f"<{tag}><Dt>{t.day.isoformat()}</Dt></{tag}>"
    return f"<{tag}><DtTm>{iso_instant(t.when, t.style)}</DtTm></{tag}>"


def write_camt(acct: Account, year: int, month: int, days, v08: bool, seq_start: int) -> str:
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{'08' if v08 else '02'}"
    last = days[-1][0]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<Document xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
           "  <BkToCstmrStmt>",
           "    <GrpHdr>",
           f"      <MsgId>CCB053{acct.number[-4:]}{year}{month:02d}</MsgId>",
           f"      <CreDtTm>{last.isoformat()}T23:30:00+08:00</CreDtTm>",
           "    </GrpHdr>"]
    for i, (d, opening, closing, entries) in enumerate(days):
        out += ["    <Stmt>",
                f"      <Id>{acct.number}-{d:%Y%m%d}</Id>",
                f"      <ElctrncSeqNb>{seq_start + i}</ElctrncSeqNb>",
                f"      <CreDtTm>{d.isoformat()}T23:30:00+08:00</CreDtTm>",
                f"      <FrToDt><FrDtTm>{d.isoformat()}T00:00:00+08:00</FrDtTm>"
                f"<ToDtTm>{d.isoformat()}T23:59:59+08:00</ToDtTm></FrToDt>",
                "      <Acct>",
                f"        <Id><Othr><Id>{acct.number}</Id></Othr></Id>",
                "        <Ccy>CNY</Ccy>",
                f"        <Nm>{x(acct.holder)}</Nm>",
                f"        <Svcr><FinInstnId><Nm>{x(acct.bank)}</Nm></FinInstnId></Svcr>",
                "      </Acct>"]
        for code, amount in (("OPBD", opening), ("CLBD", closing)):
            out += ["      <Bal>",
                    f"        <Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>",
                    f'        <Amt Ccy="CNY">{fmt_amount(abs(amount))}</Amt>',
                    f"        <CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd>",
                    f"        <Dt><Dt>{d.isoformat()}</Dt></Dt>",
                    "      </Bal>"]
        seen_batches = set()
        for t in entries:
            if t.batch is not None:
                if id(t.batch) in seen_batches:
                    continue
                seen_batches.add(id(t.batch))
                group = t.batch.txs
            else:
                group = [t]
            total = sum(g.amount for g in group)
            sts = (f"<Sts><Cd>{'BOOK' if t.status == 'booked' else 'PDNG'}</Cd></Sts>" if v08
                   else f"<Sts>{'BOOK' if t.status == 'booked' else 'PDNG'}</Sts>")
            entry_ref = t.batch.ref if t.batch is not None else t.ref
            out += ["      <Ntry>",
                    f'        <Amt Ccy="CNY">{fmt_amount(abs(total))}</Amt>',
                    f"        <CdtDbtInd>{'CRDT' if total > 0 else 'DBIT'}</CdtDbtInd>"]
            if t.reversal_of is not None:
                out.append("        <RvslInd>true</RvslInd>")
            out += [f"        {sts}",
                    f"        {camt_date(t, 'BookgDt')}",
                    f"        <ValDt><Dt>{t.day.isoformat()}</Dt></ValDt>",
                    f"        <AcctSvcrRef>{entry_ref}</AcctSvcrRef>",
                    f"        {bktxcd(t)}",
                    "        <NtryDtls>"]
            if t.batch is not None:
                out += ["          <Btch>",
                        f"            <MsgId>{t.batch.msg_id}</MsgId>",
                        f"            <NbOfTxs>{len(group)}</NbOfTxs>",
                        f'            <TtlAmt Ccy="CNY">{fmt_amount(abs(total))}</TtlAmt>',
                        f"            <CdtDbtInd>{'CRDT' if total > 0 else 'DBIT'}</CdtDbtInd>",
                        "          </Btch>"]
            for g in group:
                out.append(camt_txdtls(g, v08, t.batch is not None, "          ").rstrip("\n"))
            out.append("        </NtryDtls>")
            if t.reversal_of is not None:
                out.append(f"        <AddtlNtryInf>{x('冲正 ' + t.reversal_of.ref)}</AddtlNtryInf>")
            elif t.batch is not None:
                out.append(f"        <AddtlNtryInf>代发工资 {len(group)}笔</AddtlNtryInf>")
            out.append("      </Ntry>")
        out.append("    </Stmt>")
    out += ["  </BkToCstmrStmt>", "</Document>", ""]
    return "\n".join(out)


def chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def write_mt940(acct: Account, days, envelope: bool, seq_start: int) -> str:
    out = []
    for i, (d, opening, closing, entries) in enumerate(days):
        msg = [f":20:STM{d:%y%m%d}{acct.number[-4:]}",
               f":25:{acct.number}",
               f":28C:{seq_start + i:05d}/001",
               f":60F:{'C' if opening >= 0 else 'D'}{d:%y%m%d}CNY{fmt_mt940_amount(abs(opening))}"]
        for t in entries:
            assert t.status == "booked" and t.batch is None and t.reversal_of is None
            mark = "C" if t.amount > 0 else "D"
            kind = "NINT" if t.party.name == CCB else "NTRF"
            msg.append(f":61:{d:%y%m%d}{d:%m%d}{mark}{fmt_mt940_amount(abs(t.amount))}{kind}NONREF//{t.ref}")
            code = "166" if t.amount > 0 else "116"
            posting = "汇入" if t.amount > 0 else ("代发工资" if "工资" in t.purpose else "汇出")
            info = [f":86:{code}?00{posting}"]
            for j, part in enumerate(chunks(t.purpose, 27)[:10]):
                info.append(f"?{20 + j}{part}")
            if t.party.account:
                info.append(f"?31{t.party.account}")
            if t.party.name:
                names = chunks(t.party.name, 27)
                info.append(f"?32{names[0]}")
                if len(names) > 1:
                    info.append(f"?33{names[1]}")
            msg += info
        msg.append(f":62F:{'C' if closing >= 0 else 'D'}{d:%y%m%d}CNY{fmt_mt940_amount(abs(closing))}")
        if envelope:
            # Output application header: O, MT, input time, MIR (date, LT, session, ISN),
            # output date and time, priority.
            header = f"{{2:O9402330{d:%y%m%d}PCBCCNBJAXXX0000000000{d:%y%m%d}2330N}}"
            out.append("{1:F01PCBCCNBJAXXX0000000000}" + header + "{4:\n" + "\n".join(msg) + "\n-}")
        else:
            out.append("\n".join(msg) + "\n-")
    return "\n".join(out) + "\n"


BANK_CSV_HEADER = ["txn_id", "account", "booked_at", "value_date", "amount", "currency", "counterparty_name",
                   "counterparty_account", "counterparty_bank", "counterparty_type", "purpose", "balance_after"]


def write_bank_csv(acct: Account, txs: list[Tx]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(BANK_CSV_HEADER)
    for t in txs:
        assert t.status == "booked" and t.batch is None and t.reversal_of is None
        w.writerow([t.ref, acct.number, iso_instant(t.when, t.style), t.day.isoformat(), fmt_amount(t.amount),
                    "CNY", t.party.name, t.party.account, t.party.bank,
                    t.party.cls if acct.csv_types else "", t.purpose, fmt_amount(t.balance_after)])
    return buf.getvalue()


FEE_FIELDS = ["fee_id", "school_id", "student_id", "paid_at", "amount", "fee_type", "grade", "period_start",
              "period_end", "hours", "receiving_account", "refund_of", "enrolled_at"]


def fee_fields(f: Fee) -> dict[str, str]:
    return {"fee_id": f.fee_id, "school_id": f.school.id, "student_id": f.student.id,
            "paid_at": iso_instant(f.paid_at, f.style), "amount": fmt_amount(f.amount), "fee_type": f.fee_type,
            "grade": f.grade, "period_start": f.period_start.isoformat() if f.period_start else "",
            "period_end": f.period_end.isoformat() if f.period_end else "",
            "hours": str(f.hours) if f.hours is not None else "", "receiving_account": f.receiving_account,
            "refund_of": f.refund_of, "enrolled_at": f.enrolled_at.isoformat() if f.enrolled_at else ""}


def write_fees(s: School, fees: list[Fee]) -> str:
    rows = [fee_fields(f) for f in sorted(fees, key=lambda f: (f.paid_at, f.fee_id))]
    if s.fee_format == "jsonl":
        # Every value a string; optional fields that are empty are left out.
        return "".join(json.dumps({k: v for k, v in r.items() if v != ""}, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, FEE_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def yaml_str(v: str) -> str:
    return json.dumps(v, ensure_ascii=False)


def write_registry(c: City) -> str:
    out = ["# The demo city's school registry (formats.md). Generated by scripts/make_demo_city.py.",
           "# Fictitious schools in 长沙; any likeness to real institutions is coincidental.",
           "schools:"]
    for s in c.schools:
        out += [f"  - id: {s.id}",
                f"    name: {s.name}",
                f"    kind: {s.kind}",
                f"    nonprofit: {'true' if s.nonprofit else 'false'}",
                f"    inclusive: {'true' if s.inclusive else 'false'}",
                f"    district: {s.district}",
                f"    enrollment: {s.enrollment}"]
        if s.min_balance is not None:
            out.append(f"    min_balance: {yaml_str(fmt_amount(s.min_balance))}")
        out.append("    accounts:")
        for a in s.accounts:
            out.append(f"      - {{number: {yaml_str(a.number)}, bank: {a.bank}, role: {a.role}}}")
        out.append("    related_parties:")
        for p in s.related:
            # A related party known by name only has no account key at all.
            acct = f", account: {yaml_str(p['account'])}" if p["account"] else ""
            out.append(f"      - {{name: {p['name']}{acct}, relation: {p['relation']}}}")
        out.append("    fee_catalogue:")
        for e in s.catalogue:
            out.append(f"      - {{fee_type: {e['fee_type']}, grade: {e['grade']}, cap: {yaml_str(e['cap'])}, "
                       f"per: {e['per']}}}")
        if s.calendar:
            out.append("    academic_calendar:")
            for t in s.calendar:
                out.append(f"      - {{term: {t['term']}, start: {t['start']}, end: {t['end']}}}")
    return "\n".join(out) + "\n"


def write_watchlist(c: City) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "account", "reason"])
    w.writerows(c.watchlist)
    return buf.getvalue()


CONFIG = """\
# The demo city: ten fictitious private schools in 长沙 and one unregistered account.
# Generated by scripts/make_demo_city.py; PLANTED.md lists what the default rule pack must find.
database: sfmon.db
registry: schools.yaml
watchlist: watchlist.csv
connectors:
  - {name: bank-inbox, type: bank-files, path: inbox/bank}
  - {name: fee-inbox, type: fee-files, path: inbox/fees}
api: {listen: "127.0.0.1:8080"}
"""


def render_files(c: City) -> dict[str, str]:
    files = {"sfmon.yaml": CONFIG, "schools.yaml": write_registry(c), "watchlist.csv": write_watchlist(c)}
    for a in c.accounts:
        days = statement_days(a)
        seq = 1
        for (y, m), _ in by_month(a.txs).items():
            month_days = [d for d in days if (d[0].year, d[0].month) == (y, m)]
            base = f"inbox/bank/{a.number}-{y}{m:02d}"
            if a.fmt in ("camt02", "camt08"):
                files[base + ".xml"] = write_camt(a, y, m, month_days, a.fmt == "camt08", seq)
            elif a.fmt in ("mt940", "mt940env"):
                files[base + ".sta"] = write_mt940(a, month_days, a.fmt == "mt940env", seq)
            else:
                txs = [t for d in month_days for t in d[3]]
                files[base + ".csv"] = write_bank_csv(a, txs)
            seq += len(month_days)
    for s in c.schools:
        fees = [f for f in c.fees if f.school is s]
        months = sorted({(f.day.year, f.day.month) for f in fees})
        for y, m in months:
            ext = "jsonl" if s.fee_format == "jsonl" else "csv"
            files[f"inbox/fees/{s.id}-{y}{m:02d}.{ext}"] = write_fees(
                s, [f for f in fees if (f.day.year, f.day.month) == (y, m)])
    return files


# ---------------------------------------------------------------------------
# Parse the written files back and compare with the model


def verify_files(c: City, files: dict[str, str]) -> None:
    model = {(t.account.number, t.ref): t for a in c.accounts for t in a.txs}
    seen: dict[tuple[str, str], dict] = {}

    def check(acct: str, ref: str, amount: int, day: date, name: str, party_acct: str, purpose: str,
              status: str, where: str) -> None:
        key = (acct, ref)
        assert key in model, f"{where}: unknown record {key}"
        assert key not in seen, f"{where}: duplicate reference {key}"
        t = model[key]
        got = dict(amount=amount, day=day, name=name, party_acct=party_acct, purpose=purpose, status=status)
        want = dict(amount=t.amount, day=t.day, name=t.party.name, party_acct=t.party.account,
                    purpose=t.purpose, status=t.status)
        assert got == want, f"{where}: {got} != {want}"
        seen[key] = got

    for path, text in sorted(files.items()):
        if not path.startswith("inbox/bank/"):
            continue
        if path.endswith(".xml"):
            root = ET.fromstring(text.encode())
            ns = {"c": root.tag[1:].split("}")[0]}
            for stmt in root.iterfind("c:BkToCstmrStmt/c:Stmt", ns):
                acct = stmt.findtext("c:Acct/c:Id/c:Othr/c:Id", namespaces=ns)
                bals = {b.findtext("c:Tp/c:CdOrPrtry/c:Cd", namespaces=ns): Y(b.findtext("c:Amt", namespaces=ns))
                        for b in stmt.iterfind("c:Bal", ns)}
                total = 0
                for n in stmt.iterfind("c:Ntry", ns):
                    sign = 1 if n.findtext("c:CdtDbtInd", namespaces=ns) == "CRDT" else -1
                    sts = n.findtext("c:Sts", namespaces=ns).strip() or n.findtext("c:Sts/c:Cd", namespaces=ns)
                    status = "booked" if sts == "BOOK" else "pending"
                    entry_amount = sign * Y(n.findtext("c:Amt", namespaces=ns))
                    if status == "booked":
                        total += entry_amount
                    bdt = n.find("c:BookgDt", ns)
                    day = (date.fromisoformat(bdt.findtext("c:Dt", namespaces=ns))
                           if bdt.find("c:Dt", ns) is not None
                           else local_day(datetime.fromisoformat(bdt.findtext("c:DtTm", namespaces=ns))))
                    details = n.findall("c:NtryDtls/c:TxDtls", ns)
                    entry_ref = n.findtext("c:AcctSvcrRef", namespaces=ns)
                    sub_total = 0
                    for pos, td in enumerate(details, 1):
                        if len(details) > 1:
                            amt = sign * Y(td.findtext("c:AmtDtls/c:TxAmt/c:Amt", namespaces=ns))
                            ref = td.findtext("c:Refs/c:AcctSvcrRef", namespaces=ns) or f"{entry_ref}#{pos}"
                        else:
                            amt, ref = entry_amount, entry_ref
                        sub_total += amt
                        reversal = n.findtext("c:RvslInd", namespaces=ns) == "true"
                        side = "Dbtr" if (sign > 0) != reversal else "Cdtr"
                        name = (td.findtext(f"c:RltdPties/c:{side}/c:Nm", namespaces=ns)
                                or td.findtext(f"c:RltdPties/c:{side}/c:Pty/c:Nm", namespaces=ns) or "")
                        pacct = td.findtext(f"c:RltdPties/c:{side}Acct/c:Id/c:Othr/c:Id", namespaces=ns) or ""
                        check(acct, ref, amt, day, name, pacct, td.findtext("c:RmtInf/c:Ustrd", namespaces=ns),
                              status, path)
                    assert sub_total == entry_amount, path
                assert bals["OPBD"] + total == bals["CLBD"], f"{path}: statement does not reconcile"
        elif path.endswith(".sta"):
            for msg in re.split(r"\n-}?\n?", text):
                if ":20:" not in msg:
                    continue
                acct = re.search(r":25:(\S+)", msg).group(1)
                opening = Y(re.search(r":60F:C\d{6}CNY([\d,]+)", msg).group(1).replace(",", "."))
                closing = Y(re.search(r":62F:C\d{6}CNY([\d,]+)", msg).group(1).replace(",", "."))
                total = 0
                parts = re.split(r"\n(?=:61:)", msg)
                for part in parts[1:]:
                    m = re.match(r":61:(\d{6})\d{4}([CD])([\d,]+)N\w{3}NONREF//(\S+)", part)
                    assert m, part
                    amt = Y(m.group(3).replace(",", ".")) * (1 if m.group(2) == "C" else -1)
                    total += amt
                    info = dict(re.findall(r"\?(\d\d)([^\n?]*)", part))
                    purpose = "".join(info.get(str(k), "") for k in range(20, 30))
                    day = datetime.strptime(m.group(1), "%y%m%d").date()
                    check(acct, m.group(4), amt, day, info.get("32", "") + info.get("33", ""), info.get("31", ""),
                          purpose, "booked", path)
                assert opening + total == closing, f"{path}: message does not reconcile"
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
            assert list(rows[0].keys()) == BANK_CSV_HEADER
            prev = None
            for i, row in enumerate(rows, 2):
                amt = Y(row["amount"])
                booked_at = row["booked_at"]
                day = (date.fromisoformat(booked_at) if len(booked_at) == 10
                       else local_day(datetime.fromisoformat(booked_at.replace("Z", "+00:00"))))
                check(row["account"], row["txn_id"], amt, day, row["counterparty_name"],
                      row["counterparty_account"], row["purpose"], "booked", f"{path}:{i}")
                bal = Y(row["balance_after"])
                if prev is not None:
                    assert prev + amt == bal, f"{path}:{i}: balance_after does not follow"
                prev = bal
    assert set(seen) == set(model), f"records not written: {set(model) - set(seen)}"
    # Sources that do not mark persons rely on the name-shape rule: check it.
    for a in c.accounts:
        unmarked = a.fmt in ("mt940", "mt940env") or (a.fmt == "csv" and not a.csv_types)
        for t in a.txs:
            if unmarked and t.party.name and not t.own:
                assert classify(t.party.name) == t.party.cls, (t.party.name, t.party.cls)
            if t.party.cls == "person":
                assert classify(t.party.name) == "person", t.party.name
    # Fee files: every value round-trips.
    fees = {f.fee_id: fee_fields(f) for f in c.fees}
    got = {}
    for path, text in files.items():
        if path.startswith("inbox/fees/"):
            if path.endswith(".jsonl"):
                for line in text.splitlines():
                    obj = json.loads(line)
                    assert all(isinstance(v, str) for v in obj.values())
                    got[obj["fee_id"]] = {k: obj.get(k, "") for k in FEE_FIELDS}
            else:
                for row in csv.DictReader(io.StringIO(text)):
                    got[row["fee_id"]] = row
    assert got == fees, "fee files do not round-trip"


# ---------------------------------------------------------------------------
# Reports: PLANTED.md and the machine-readable expectations


def rec_ids(items) -> list[dict]:
    out = []
    for it in flatten(items):
        if isinstance(it, Tx):
            out.append({"kind": "bank", "id": it.ref})
        elif isinstance(it, Fee):
            out.append({"kind": "fee", "id": it.fee_id})
        else:
            out.append({"kind": "balance", "id": f"{it[1].number}:{it[2].isoformat()}"})
    return out


def planted_items(p: Planted) -> list:
    items = p.evidence() if callable(p.evidence) else p.evidence
    return items if isinstance(items, list) else [items]


def near_items(n: NearMiss) -> list:
    return n.records if isinstance(n.records, list) else [n.records]


RULE_ORDER = ["FUND-LARGE", "FUND-CASH", "FUND-TO-PERSON", "FUND-RELATED", "FUND-ROUNDTRIP", "FUND-DRAIN",
              "FUND-SPLIT", "FUND-PASSTHRU", "FUND-MINBAL", "FUND-ANOMALY", "FUND-LISTED", "FEE-OVER-CAP",
              "FEE-UNLISTED", "FEE-PREPAY-TERM", "FEE-PREPAY-TRAINING", "FEE-DONATION", "FEE-WRONG-ACCOUNT",
              "FEE-UNRECONCILED", "FEE-LOAN"]


def expected_json(c: City) -> str:
    planted = sorted(c.planted, key=lambda p: (RULE_ORDER.index(p.rule), p.school.id))
    near = sorted(c.near, key=lambda n: (RULE_ORDER.index(n.rule), n.school.id if n.school else ""))
    doc = {
        "description": "Demo city (examples/demo-city): every alert the default rule pack must raise with default "
                       "parameters, and near misses that must not fire. The planted list is complete: "
                       "ingesting the demo city must produce exactly these alerts (rule, school, evidence).",
        "generator": "scripts/make_demo_city.py",
        "zone": "Asia/Shanghai",
        "complete": True,
        "clean_schools": ["CS-0109", "CS-0110"],
        "unregistered_accounts": ["43050180123400009901"],
        "planted": [{"rule_id": p.rule, "school_id": p.school.id, "level": p.level,
                     "evidence": sorted(rec_ids(planted_items(p)), key=lambda e: (e["kind"], e["id"])),
                     "note": p.story} for p in planted],
        "near_misses": [{"rule_id": n.rule, "school_id": n.school.id if n.school else None, "note": n.note,
                         "records": rec_ids(near_items(n))} for n in near],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def md_ids(items) -> str:
    return ", ".join(f"`{e['id']}`" if e["kind"] != "fee" else f"fee `{e['id']}`" for e in rec_ids(items)) or "—"


def planted_md(c: City, notes: list[str]) -> str:
    schools = "\n".join(
        f"| {s.id} | {s.name} | {s.kind}{' (普惠)' if s.inclusive else ''} | "
        f"{'非营利' if s.nonprofit else '营利'} | {s.district} | {s.supervised.number} ({s.supervised.fmt}) | "
        f"{s.basic.number} ({s.basic.fmt}) | {s.fee_format} | "
        f"{fmt_amount(s.min_balance) if s.min_balance is not None else '—'} |"
        for s in c.schools)
    planted = sorted(c.planted, key=lambda p: (RULE_ORDER.index(p.rule), p.school.id))
    near = sorted(c.near, key=lambda n: (RULE_ORDER.index(n.rule), n.school.id if n.school else ""))
    rows = "\n".join(f"| {p.rule} | {p.level} | {p.school.id} | {md_ids(planted_items(p))} | {p.story} |"
                     for p in planted)
    nrows = "\n".join(f"| {n.rule} | {n.school.id if n.school else '—'} | {md_ids(near_items(n))} | {n.note} |"
                      for n in near)
    n_bank = sum(len(a.txs) for a in c.accounts)
    sensitivity = "\n".join(f"- {n}" for n in notes) or "- none"
    return f"""# Demo city: planted cases

Generated by `python3 scripts/make_demo_city.py` (fixed seed, byte-identical on every run;
do not edit by hand). Ten fictitious
private schools in 长沙 and one unregistered account, 2024-09-01 .. 2024-11-30:
{n_bank} bank records in {sum(1 for a in c.accounts)} accounts (camt.053 001.02 and 001.08,
MT940, bank CSV) and {len(c.fees)} fee records (CSV and JSON Lines).

    sfmon run-once --config examples/demo-city/sfmon.yaml
    sfmon alerts list --config examples/demo-city/sfmon.yaml --format json

With the default rule pack and default parameters the alerts must be **exactly** the
planted cases below: same rule, school, level and evidence (bank references, fee ids,
balance ids), nothing else. CS-0109 and CS-0110 are clean and raise nothing; account
43050180123400009901 is not in the registry (its records are stored with no school and a
warning, and raise nothing). `tests/data/demo_city_expected.json` holds the same list for
tests. The generator proves the list before it writes anything: a reference evaluator of
`rules-catalogue.md` must find exactly these alerts under every reading listed at the end.

## Schools

| id | name | kind | type | district | supervised account (format) | basic account (format) | fees | min_balance |
|---|---|---|---|---|---|---|---|---|
{schools}

## Planted cases (must fire)

| rule | level | school | evidence | why it fires |
|---|---|---|---|---|
{rows}

## Near misses (must not fire)

| rule | school | records | why it must not fire |
|---|---|---|---|
{nrows}

Ordinary traffic also holds near misses nobody has to look for: own-account transfers
(内部调拨, 运营经费划拨) of up to 3,000,000.00, salaries (工资) to staff, small interest
credits, refunds, and fee credits that reconcile to the fen on every other day.

## Readings of the catalogue this data is robust to

The planted set is the same under each of these readings of points the catalogue leaves
open, so an implementation may choose either:

- FUND-DRAIN's reference balance: the closing balance of the day when a statement (or CSV
  `balance_after`) covers it, or the last known balance carried forward to that day; a
  window whose reference day precedes all data is not judged (or is judged against the first
  opening balance: no difference here). Every DRAIN fire has a statement on its reference day.
- FUND-PASSTHRU's debit D: a debit of any of the school's accounts, or only of the
  supervised account.
- FUND-MINBAL's days: only days with a statement / `balance_after`, or every day with the
  balance carried forward. Its evidence's debits are the supervised account's debits of the day
  (on the planted days the school has no other debits).
- Evidence of windowed rules lists every record in the window: FUND-DRAIN all school debits
  in (t − 7 d, t]; FUND-PASSTHRU the debit and all credits counted in C; FUND-ROUNDTRIP the
  capital credit and every related-party debit in its window; FEE-UNRECONCILED every fee and
  credit of the school-day.
- Each windowed rule fires at exactly one instant here, and no rule fires twice at one
  school, so merging (dedup) does not change the expected alerts or their evidence.
- Rules are evaluated over both inboxes together: judged on the bank files alone (before the
  fee files are read), FEE-UNRECONCILED would see unmatched credits on every fee day.

Decisions taken where the catalogue is silent:

- A fee without a period (donations) is not judged by FEE-PREPAY-TERM; donations are never
  FEE-UNLISTED and never FEE-OVER-CAP (not a catalogued type).
- A cash withdrawal has no counterparty (empty name): it is a debit, of unknown class.
- A camt reversal (`RvslInd=true`, CRDT for a reversed debit) keeps the reversed payment's
  parties in their roles (the school stays `Dbtr`, the payee `Cdtr`), carries the original's
  `EndToEndId`, names the original's bank reference in `RtrInf/AddtlInf` and `AddtlNtryInf`,
  and has the same amount and counterparty, so the catalogue's fallback (latest earlier
  entry of opposite sign, same amount and counterparty) finds the original too.
- A single-transaction camt entry repeats the entry's `AcctSvcrRef` in `TxDtls/Refs`, so the
  reference is the same whether a parser reads the entry or its only TxDtls; the batch's
  TxDtls have `EndToEndId` NOTPROVIDED and get `ENTRYREF#n`.
- MT940 and the CSV of CS-0101 do not mark natural persons: those names follow the
  name-shape rule (2–4 Han characters = person; legal-form words = organisation).

## Sensitivity (informational)

What a wrong reading would change (these are the deliberate boundary cases):

{sensitivity}
"""


# ---------------------------------------------------------------------------


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, "examples", "demo-city"))
    ap.add_argument("--expected", default=os.path.join(root, "tests", "data", "demo_city_expected.json"))
    args = ap.parse_args()

    city = build_city()
    finalize(city)
    notes = prove(city)
    files = render_files(city)
    verify_files(city, files)
    files["PLANTED.md"] = planted_md(city, notes)

    for sub in ("inbox/bank", "inbox/fees"):
        d = os.path.join(args.out, sub)
        if os.path.isdir(d):
            for name in os.listdir(d):
                os.remove(os.path.join(d, name))
    for rel, text in files.items():
        path = os.path.join(args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    os.makedirs(os.path.dirname(os.path.abspath(args.expected)), exist_ok=True)
    with open(args.expected, "w", encoding="utf-8", newline="") as fh:
        fh.write(expected_json(city))
    size = sum(len(t.encode()) for t in files.values())
    print(f"demo city: {len(city.schools)} schools, {sum(len(a.txs) for a in city.accounts)} bank records, "
          f"{len(city.fees)} fee records, {len(city.planted)} planted alerts, {len(city.near)} near misses, "
          f"{len(files)} files, {size} bytes -> {args.out}")


if __name__ == "__main__":
    main()
