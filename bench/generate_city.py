#!/usr/bin/env python3
"""Generates the benchmark city: many schools, one school year, every input format.

    python3 bench/generate_city.py --records N --schools S --out DIR [--seed K]

Writes into DIR (deterministic: the same arguments give byte-identical files):

  sfmon.yaml, schools.yaml, watchlist.csv   config, registry and watchlist (formats.md)
  inbox/bank/ACCOUNT-YYYYMM.{xml,sta,csv}   N bank records of 2024-09-01 .. 2025-08-31,
                                            one file per account and month, in camt.053
                                            (001.02 and 001.08), MT940 (bare and in a SWIFT
                                            envelope) and bank CSV, a third each
  inbox/fees/SCHOOL-YYYYMM.{csv,jsonl}      N/2 fee records, one file per school and month
  day/bank/*, day/fees/*                    one more day (2025-09-01) of about N·3/1000
                                            records: one file per format, as a bank's daily
                                            delivery would be
  sql/*.csv                                 the same year as normalised tables (integer
                                            fen, UTC seconds, local day) for the sqlite3
                                            CLI baseline (bench/baseline/)
  planted.json                              the planted violations (rule, school, dedup key)
                                            and near misses that must not fire
  manifest.json                             counts

The city is quiet by construction: ordinary debits are spread so that no rule
fires on them (amounts well under every threshold, fees within their caps and
terms, every fee matched by a bank credit on the same day), so what fires is
what was planted, plus what planted money movements imply for the windowed
rules (a planted 2,000,000 payment also drains the school and passes prepaid
fees through). Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Optional

ZONE_SECONDS = 8 * 3600  # Asia/Shanghai, fixed +08:00
YEAR_START = date(2024, 9, 1)
YEAR_DAYS = 365  # 2024-09-01 .. 2025-08-31
EXTRA_DAY = YEAR_START + timedelta(days=YEAR_DAYS)  # 2025-09-01, the incremental day
EPOCH = date(1970, 1, 1)

# Account file formats; the date-only ones book at 00:00 local time.
FORMATS = ["camt02", "mt940", "csv", "camt08", "mt940env", "csv"]
DATE_ONLY = {"camt02", "mt940", "mt940env"}

KINDS = (["kindergarten"] * 7 + ["primary"] * 3 + ["middle"] * 2 + ["high"] * 2 + ["nine_year"] * 1
         + ["vocational"] * 1 + ["training"] * 4)
COMPULSORY = {"primary", "middle", "nine_year"}
DISTRICTS = ["岳麓区", "天心区", "开福区", "雨花区", "芙蓉区", "望城区", "长沙县"]
KIND_SUFFIX = {"kindergarten": "幼儿园", "primary": "小学", "middle": "中学", "high": "高级中学",
               "nine_year": "实验学校", "vocational": "职业学校", "training": "培训学校"}
GRADES = {"kindergarten": ["小班", "中班", "大班"], "primary": ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
          "middle": ["七年级", "八年级", "九年级"], "high": ["高一", "高二", "高三"],
          "nine_year": ["一年级", "四年级", "七年级", "九年级"], "vocational": ["中职一年级", "中职二年级", "中职三年级"],
          "training": ["少儿", "青少年"]}

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌宇浩凯鹏欣怡晨雨"
         "婷佳琪涵轩远嘉乐俊湘岚峰蓉慧琳莉倩颖瑶鑫晓思梦雪")
PEOPLE_BANKS = ["中国工商银行长沙分行", "中国农业银行长沙分行", "招商银行长沙分行", "长沙银行"]
SCHOOL_BANK = "中国建设银行长沙分行"
WORDS = "华湘楚麓星辰博雅致远启航明德育才新元恒达宏泰金桥卓越智慧云帆顺安绿源鑫源嘉禾锦程"
SUPPLIER_KINDS = [("教育装备有限公司", "教学设备采购"), ("餐饮管理有限公司", "食堂食材配送款"),
                  ("物业服务有限公司", "物业保洁服务费"), ("办公用品有限公司", "办公用品采购"),
                  ("印务有限公司", "试卷印刷费"), ("校车服务有限公司", "校车服务费"),
                  ("科技有限公司", "信息化服务费"), ("书店有限责任公司", "教材教辅款")]
UTILITIES = [("国网湖南省电力有限公司长沙供电分公司", "43001510161050001111", "电费"),
             ("长沙水业集团有限公司", "43001510161050002222", "水费"),
             ("长沙新奥燃气有限公司", "80001234500000133", "燃气费")]
LENDER = ("湖南星融消费金融有限公司", "43050184360000005111")
BUILDER = "湖南宏远建设工程有限公司"

# Rule parameters the generator keeps clear of (rules-catalogue.md defaults, fen).
PASSTHRU_MIN = 10_000_000
CASH_DAY_MAX_ORDINARY = 2_000_000  # one ordinary cash withdrawal a day, at most this


def fmt_amount(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def mt940_amount(fen: int) -> str:
    return f"{abs(fen) // 100},{abs(fen) % 100:02d}"


def day_index(d: date) -> int:
    return (d - EPOCH).days


def local_midnight_utc(d: date) -> int:
    return day_index(d) * 86400 - ZONE_SECONDS


def days_in_month(y: int, m: int) -> int:
    return ((date(y + m // 12, m % 12 + 1, 1)) - date(y, m, 1)).days


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, days_in_month(y, m)))


def term_of(d: date) -> tuple[date, date]:
    """The default term containing d, or between terms (August) the next one."""
    if d.month >= 8:
        return date(d.year, 9, 1), date(d.year + 1, 1, 31)
    if d.month == 1:
        return date(d.year - 1, 9, 1), date(d.year, 1, 31)
    return date(d.year, 2, 1), date(d.year, 7, 31)


def iso_local(ts: int) -> str:
    """UTC seconds as a local ISO 8601 date-time with +08:00."""
    local = ts + ZONE_SECONDS
    d = EPOCH + timedelta(days=local // 86400)
    s = local % 86400
    return f"{d.isoformat()}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}+08:00"


def local_date(ts: int) -> date:
    return EPOCH + timedelta(days=(ts + ZONE_SECONDS) // 86400)


def x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------------------
# Model


@dataclass
class Party:
    name: str
    account: str
    bank: str
    cls: str  # person | organisation | unknown
    ident: str = ""


NO_PARTY = Party("", "", "", "unknown")


@dataclass
class Tx:
    ts: int  # UTC seconds as the source will say it (date-only accounts: local midnight)
    amount: int  # fen, credit +, debit -
    party: Party
    purpose: str
    seq: int
    ref: str = ""


@dataclass
class Account:
    number: str
    role: str
    fmt: str
    holder: str
    opening: int = 0
    txs: list = field(default_factory=list)
    extra: list = field(default_factory=list)  # the incremental day
    closing_before_extra: int = 0


@dataclass
class Fee:
    fee_id: str
    school_id: str
    student_id: str
    paid_at: int  # UTC seconds
    amount: int
    fee_type: str
    grade: str
    period_start: date
    period_end: date
    hours: Optional[int]
    receiving_account: str
    enrolled_at: Optional[date] = None


@dataclass
class School:
    index: int
    id: str
    name: str
    kind: str
    nonprofit: bool
    inclusive: bool
    district: str
    enrollment: int
    uscc: str
    sponsor: Party
    director: Party
    catalogue: list
    fee_format: str
    accounts: list
    min_balance: Optional[int] = None
    fees: list = field(default_factory=list)
    extra_fees: list = field(default_factory=list)
    # Set by City.ordinary(), used by planting and the incremental day:
    tx: Optional[Callable[..., "Tx"]] = None  # adds a record, numbered in creation order
    debit_range: tuple = (0, 0)  # fen, the school's ordinary debit amounts [low, high)
    staff: list = field(default_factory=list)
    students: list = field(default_factory=list)  # (id, grade, parent, enrolled_at)
    suppliers: list = field(default_factory=list)

    @property
    def supervised(self) -> Account:
        return self.accounts[0]

    @property
    def basic(self) -> Account:
        return self.accounts[1]


class Names:
    """Person and organisation names; persons are 2-3 Han characters (the
    classifier's natural persons), organisations carry a legal-form word."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, avoid: set[str]) -> Party:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            if name not in avoid:
                break
        bank = self.rng.choice(PEOPLE_BANKS)
        card = "6217" + "".join(str(self.rng.randrange(10)) for _ in range(15))
        ident = f"4301{self.rng.randrange(10, 99)}********{self.rng.randrange(10000):04d}"
        return Party(name, card, bank, "person", ident)

    def org(self, suffix: str) -> Party:
        name = "长沙" + self.rng.choice(WORDS) + self.rng.choice(WORDS) + suffix
        acct = "4305018" + "".join(str(self.rng.randrange(10)) for _ in range(13))
        return Party(name, acct, SCHOOL_BANK, "organisation", "91430100" + f"{self.rng.randrange(10**9):09d}" + "X")


# ---------------------------------------------------------------------------
# The city


CATALOGUE_BY_KIND = {
    "kindergarten": [("tuition", (900, 2500), "month"), ("meals", (300, 600), "month")],
    "primary": [("tuition", (6000, 15000), "semester"), ("meals", (400, 800), "month")],
    "middle": [("tuition", (7000, 16000), "semester"), ("boarding", (800, 1800), "semester"),
               ("meals", (450, 850), "month")],
    "high": [("tuition", (8000, 18000), "semester"), ("boarding", (900, 2000), "semester"),
             ("meals", (500, 900), "month")],
    "nine_year": [("tuition", (8000, 18000), "semester"), ("boarding", (900, 1800), "semester"),
                  ("meals", (450, 850), "month")],
    "vocational": [("tuition", (4000, 9000), "semester"), ("boarding", (600, 1500), "semester"),
                   ("meals", (400, 800), "month")],
    "training": [("training", (80, 200), "hour")],
}


class City:
    def __init__(self, n_records: int, n_schools: int, seed: int) -> None:
        self.n_records = n_records
        self.n_schools = n_schools
        self.seed = seed
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.schools: list[School] = []
        self.planted: list[dict] = []
        self.near: list[dict] = []
        self.watchlist: list[tuple[str, str, str]] = []
        self.listed_by_name: list[Party] = []
        self.listed_by_account: list[Party] = []

    # -- registry --------------------------------------------------------
    def make_schools(self) -> None:
        rng = self.rng
        for i in range(1, self.n_schools + 1):
            kind = rng.choice(KINDS)
            district = rng.choice(DISTRICTS)
            name = f"长沙市{district}{rng.choice(WORDS)}{rng.choice(WORDS)}{i:04d}{KIND_SUFFIX[kind]}"
            sponsor = Party(f"湖南{rng.choice(WORDS)}{rng.choice(WORDS)}教育投资{i:04d}有限公司",
                            f"4300151{i:06d}0500{rng.randrange(1000):03d}", SCHOOL_BANK, "organisation",
                            f"91430100MA{i:06d}XY")
            director = self.names.person(set())
            catalogue = []
            for fee_type, (low, high), per in CATALOGUE_BY_KIND[kind]:
                cap = rng.randrange(low, high + 1) * 100
                catalogue.append({"fee_type": fee_type, "grade": "all", "cap": cap, "per": per})
            fmt_sup = FORMATS[(2 * i) % len(FORMATS)]
            fmt_basic = FORMATS[(2 * i + 1) % len(FORMATS)]
            accounts = [Account(f"430501801234{i:06d}01", "supervised", fmt_sup, name),
                        Account(f"430501801234{i:06d}02", "basic", fmt_basic, name)]
            school = School(i, f"CS-{i:04d}", name, kind, rng.random() < 0.6,
                            kind == "kindergarten" and rng.random() < 0.5, district,
                            rng.randrange(150, 2500), f"52430100MJ{i:07d}X", sponsor, director, catalogue,
                            "jsonl" if i % 2 == 0 else "csv", accounts)
            self.schools.append(school)
        # Watchlist: organisations listed by name, accounts listed alone.
        for k in range(max(3, self.n_schools // 50)):
            org = self.names.org(f"商贸{k:03d}有限公司")
            self.listed_by_name.append(org)
            self.watchlist.append((org.name, "", "空壳公司：注册地址无实际经营"))
        for k in range(max(3, self.n_schools // 50)):
            acct = f"62305800{k:011d}"
            self.listed_by_account.append(Party(f"长沙速融信息咨询{k:03d}有限公司", acct, "长沙银行", "organisation"))
            self.watchlist.append(("", acct, "涉嫌非法集资的资金归集账户"))
        self.watchlist.append((LENDER[0][:2] + "快易贷网络科技有限公司", "43050190000000008888", "未备案网络借贷平台"))

    # -- ordinary activity -------------------------------------------------
    def budget(self) -> list[tuple[int, int]]:
        """(bank records, fee records) of the year per school, summing to N and N/2."""
        n, s = self.n_records, self.n_schools
        out = []
        for i in range(s):
            bank = n // s + (1 if i < n % s else 0)
            out.append((bank, bank // 2))
        return out

    def ordinary(self, school: School, n_bank: int, n_fee: int, rng: random.Random) -> None:
        sup, basic = school.supervised, school.basic
        seq = [0]

        def tx(acct: Account, ts: int, amount: int, party: Party, purpose: str, into: Optional[list] = None) -> Tx:
            seq[0] += 1
            if acct.fmt in DATE_ONLY:
                ts = local_midnight_utc(local_date(ts))
            t = Tx(ts, amount, party, purpose, seq[0])
            (acct.txs if into is None else into).append(t)
            return t

        avoid = {school.director.name}
        students = []
        grades = GRADES[school.kind]
        for k in range(max(8, n_fee // 4)):
            parent = self.names.person(avoid)
            enrolled = None
            if rng.random() < 0.1:  # some records carry the enrolment date
                enrolled = rng.choice([date(2022, 9, 1), date(2023, 9, 1), date(2024, 2, 20)])
            students.append((f"S{school.index:04d}{k:05d}", rng.choice(grades), parent, enrolled))
        staff = [self.names.person(avoid) for _ in range(max(3, min(80, n_bank // 40)))]
        suppliers = [self.names.org(rng.choice(SUPPLIER_KINDS)[0]) for _ in range(6)]
        supplier_purpose = {p.name: next(pp for suf, pp in SUPPLIER_KINDS if p.name.endswith(suf)) for p in suppliers}
        bureau = Party(f"长沙市{school.district}教育局", "", "国家金库长沙市中心支库", "organisation")
        bank_party = Party("中国建设银行股份有限公司长沙分行", "", SCHOOL_BANK, "organisation")

        # Fees, each matched by a bank credit into the receiving account.
        intake = 0
        for k in range(n_fee):
            d = YEAR_START + timedelta(days=rng.randrange(YEAR_DAYS))
            ts = local_midnight_utc(d) + rng.randrange(8 * 3600, 21 * 3600, 60)
            sid, grade, parent, enrolled = rng.choice(students)
            entry = rng.choice(school.catalogue)
            fee = self.fee_for(school, entry, sid, grade, ts, d, rng, enrolled)
            fee.fee_id = f"F{school.index:04d}-{k:06d}"
            school.fees.append(fee)
            tx(sup, ts, fee.amount, parent, f"{sid} {FEE_LABEL[fee.fee_type]}")
            intake += fee.amount

        # Everything else: payroll, suppliers, utilities, cash, subsidies, interest,
        # and the monthly own transfer that funds the basic account.
        n_other = n_bank - n_fee
        transfers = min(12, n_other // 20)
        rest = n_other - 2 * transfers
        n_cash = rest * 3 // 100
        n_sub = rest * 7 // 100
        n_int = rest * 5 // 100
        n_debit = rest - n_cash - n_sub - n_int
        scale = max(50_000, min(3_000_000, int(0.7 * intake / max(1, n_debit))))  # fen
        low, high = int(scale * 0.3), int(scale * 1.7)
        assert high < PASSTHRU_MIN  # no ordinary debit is large enough for FUND-PASSTHRU
        month_out = {}
        for k in range(n_debit):
            d = YEAR_START + timedelta(days=rng.randrange(YEAR_DAYS))
            ts = local_midnight_utc(d) + rng.randrange(9 * 3600, 18 * 3600, 60)
            amount = rng.randrange(low, high) // 100 * 100
            r = rng.random()
            if r < 0.45:
                party = rng.choice(staff)
                purpose = f"{d.month}月工资"
            elif r < 0.85:
                party = rng.choice(suppliers)
                purpose = supplier_purpose[party.name]
            else:
                name, acct, purpose = rng.choice(UTILITIES)
                party = Party(name, acct, SCHOOL_BANK, "organisation")
            tx(basic, ts, -amount, party, purpose)
            month_out[(d.year, d.month)] = month_out.get((d.year, d.month), 0) + amount
        cash_days = rng.sample(range(YEAR_DAYS), min(n_cash, YEAR_DAYS))
        for day in cash_days:
            d = YEAR_START + timedelta(days=day)
            ts = local_midnight_utc(d) + rng.randrange(9 * 3600, 17 * 3600, 60)
            amount = rng.randrange(low, min(high, CASH_DAY_MAX_ORDINARY)) // 100 * 100
            tx(basic, ts, -amount, NO_PARTY, "ATM取现")
        for k in range(n_sub):
            d = YEAR_START + timedelta(days=rng.randrange(YEAR_DAYS))
            tx(basic, local_midnight_utc(d) + 10 * 3600, rng.randrange(low, high) // 100 * 100, bureau, "生均公用经费补助")
        for k in range(n_int):
            d = YEAR_START + timedelta(days=rng.randrange(YEAR_DAYS))
            tx(basic, local_midnight_utc(d) + 2 * 3600, rng.randrange(1000, 50_000), bank_party, "结息")
        months = [(YEAR_START.year + (YEAR_START.month - 1 + m) // 12, (YEAR_START.month - 1 + m) % 12 + 1)
                  for m in range(12)]
        for y, m in months[:transfers]:
            amount = (month_out.get((y, m), 0) * 21 // 20) // 100 * 100 + 100_00
            ts = local_midnight_utc(date(y, m, 1)) + 9 * 3600
            tx(sup, ts, -amount, Party(basic.holder, basic.number, SCHOOL_BANK, "organisation"), f"{m}月运营经费划拨")
            tx(basic, ts, amount, Party(sup.holder, sup.number, SCHOOL_BANK, "organisation"), f"{m}月运营经费划拨")

        sup.opening = max(200_000_000, intake // 2) // 100 * 100 + rng.randrange(10**6) * 100
        basic.opening = max(50_000_000, intake // 5) // 100 * 100
        if rng.random() < 0.4:
            school.min_balance = sup.opening // 2 // 10_000 * 10_000
        school.tx = tx  # planting reuses the numbering
        school.debit_range = (low, high)
        school.staff, school.students, school.suppliers = staff, students, suppliers

    def fee_for(self, school: School, entry: dict, sid: str, grade: str, ts: int, d: date,
                rng: random.Random, enrolled: Optional[date]) -> Fee:
        per, cap = entry["per"], entry["cap"]
        hours = None
        if per == "month":
            start = date(d.year, d.month, 1)
            end = date(d.year, d.month, days_in_month(d.year, d.month))
            amount = rng.randrange(cap * 6 // 10, cap + 1) // 100 * 100
        elif per == "semester":
            start, end = term_of(d)
            amount = rng.randrange(cap * 6 // 10, cap + 1) // 100 * 100
        else:  # hour: a course of at most 60 hours over at most 2.5 months
            hours = rng.randrange(10, 61)
            rate = rng.randrange(cap * 6 // 10, cap + 1) // 100 * 100
            amount = hours * rate
            start = d
            end = d + timedelta(days=rng.randrange(20, 75))
        return Fee("", school.id, sid, ts, amount, entry["fee_type"], grade, start, end, hours,
                   school.supervised.number, enrolled)

    # -- planted violations ------------------------------------------------
    def plant(self) -> None:
        rng = self.rng
        k = max(2, self.n_schools // 25)
        schools = self.schools
        training = [s for s in schools if s.kind == "training"] or schools[:1]
        others = [s for s in schools if s.kind != "training"] or schools[:1]
        with_floor = [s for s in schools if s.min_balance is not None]

        def when(school: School, margin_end: int = 10, hour: int = 10) -> tuple[date, int]:
            d = YEAR_START + timedelta(days=rng.randrange(14, YEAR_DAYS - margin_end))
            return d, local_midnight_utc(d) + hour * 3600

        def key_day(acct: Account, d: date) -> str:
            return f"{acct.number}:{d.isoformat()}"

        def add(rule: str, school: School, key: str, story: str) -> None:
            self.planted.append({"rule": rule, "school": school.id, "key": key, "story": story})

        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            builder = Party(BUILDER, "43050188360000004111", SCHOOL_BANK, "organisation")
            s.tx(s.basic, ts, -120_000_000, builder, "教学楼工程进度款")
            s.tx(s.basic, ts + 5 * 3600, -90_000_000, builder, "教学楼工程尾款")
            s.basic.opening += 210_000_000
            add("FUND-LARGE", s, key_day(s.basic, d), "two payments to the builder on one day, 2,100,000.00")
        cash_schools = rng.sample(schools, min(k, len(schools)))
        for s in cash_schools:
            d, ts = when(s)
            s.basic.txs = [t for t in s.basic.txs if not (t.party is NO_PARTY and local_date(t.ts) == d)]
            s.tx(s.basic, ts, -3_000_000, NO_PARTY, "现金支取 备用金")
            s.tx(s.basic, ts + 3600, -2_500_000, NO_PARTY, "ATM取现")
            add("FUND-CASH", s, key_day(s.basic, d), "cash 30,000 + 25,000 on one day")
        for j, s in enumerate(rng.sample(schools, min(k, len(schools)))):
            d, ts = when(s)
            person = self.names.person({s.director.name})
            amount = 60_000_000 if j % 2 else 8_000_000
            t = s.tx(s.basic, ts, -amount, person, "劳务费")
            s.basic.opening += amount
            add("FUND-TO-PERSON", s, t, f"{fmt_amount(amount)} to a person, not payroll")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            t = s.tx(s.basic, ts, -15_000_000, s.sponsor, "咨询服务费")
            s.basic.opening += 15_000_000
            add("FUND-RELATED", s, t, "150,000 to the sponsor")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s, hour=9)
            vendor = self.names.org("设备安装工程有限公司")
            for h in (0, 4, 8):
                s.tx(s.basic, ts + h * 3600, -40_000_000, vendor, "设备款（分期）")
            s.basic.opening += 120_000_000
            add("FUND-SPLIT", s, vendor.account, "three payments of 400,000 to one vendor within 8 hours")
        for j, s in enumerate(rng.sample(schools, min(k, len(schools)))):
            d, ts = when(s)
            listed = rng.choice(self.listed_by_name)
            party = Party(listed.name, "4305018" + f"{rng.randrange(10**13):013d}", SCHOOL_BANK, "organisation")
            t = s.tx(s.basic, ts, -2_000_000, party, "咨询费")
            add("FUND-LISTED", s, t, "payment to a watchlisted company (by name)")
            t = s.tx(s.basic, ts + 86400, 500_000, rng.choice(self.listed_by_account), "往来款")
            add("FUND-LISTED", s, t, "money from a watchlisted account")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s, margin_end=90)
            t = s.tx(s.basic, ts, 100_000_000, s.sponsor, "举办者出资款")
            s.tx(s.basic, ts + 60 * 86400, -60_000_000, s.sponsor, "归还往来款")
            add("FUND-ROUNDTRIP", s, t, "1,000,000 contributed, 600,000 back to the sponsor 60 days later")
            add("FUND-RELATED", s, t_last(s.basic), "the 600,000 back to the sponsor")
        for s in rng.sample(training, min(k, len(training))):
            d, ts = when(s)
            t = s.tx(s.basic, ts, 1_200_000, Party(LENDER[0], LENDER[1], SCHOOL_BANK, "organisation"), "学员分期学费")
            add("FEE-LOAN", s, t, "a consumer-finance lender pays the institution")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            f = self.planted_fee(s, d, ts, rng, receiving=s.basic)
            add("FEE-WRONG-ACCOUNT", s, f.fee_id, "fee paid into the basic account")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            f = self.planted_fee(s, d, ts, rng, fee_type="materials", amount=30_000)
            add("FEE-UNLISTED", s, f.fee_id, "materials fee not in the catalogue")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            f = self.planted_fee(s, d, ts, rng, fee_type="donation", amount=2_000_000,
                                 enrolled=d - timedelta(days=30))
            add("FEE-DONATION", s, f.fee_id, "donation 30 days after enrolment")
            f = self.planted_fee(s, d, ts + 600, rng, fee_type="donation", amount=1_000_000,
                                 enrolled=d - timedelta(days=120))
            self.near.append({"rule": "FEE-DONATION", "school": s.id, "key": f.fee_id,
                              "story": "donation 120 days after enrolment"})
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            parent = rng.choice(s.students)[2]
            s.tx(s.supervised, ts, 6_000_000, parent, "学费")
            add("FEE-UNRECONCILED", s, f"{s.id}:{d.isoformat()}", "60,000 credited with no fee record")
        for s in rng.sample(schools, min(k, len(schools))):
            d, ts = when(s)
            entry = s.catalogue[-1]
            f = self.fee_for(s, entry, "", "", ts, d, rng, None)
            if entry["per"] == "hour":
                f.amount = f.hours * entry["cap"] * 3 // 2
            else:
                f.amount = entry["cap"] * 3 // 2
            self.planted_fee(s, d, ts, rng, fee=f)
            add("FEE-OVER-CAP", s, f.fee_id, "fee at 1.5 times the cap")
        for s in rng.sample(others, min(k, len(others))):
            d = date(2024, 11, rng.randrange(1, 29))
            ts = local_midnight_utc(d) + 11 * 3600
            entry = s.catalogue[0]
            f = self.fee_for(s, entry, "", "", ts, d, rng, None)
            f.period_start, f.period_end = date(2024, 9, 1), date(2025, 7, 31)
            f.amount = entry["cap"] * 9 // 10 * (12 if entry["per"] == "month" else 2) // 100 * 100
            self.planted_fee(s, d, ts, rng, fee=f)
            add("FEE-PREPAY-TERM", s, f.fee_id, "a whole year collected in November")
        for s in rng.sample(training, min(k, len(training))):
            d, ts = when(s, margin_end=130)
            d = date(d.year, d.month, min(d.day, 28))
            ts = local_midnight_utc(d) + 15 * 3600
            entry = s.catalogue[0]
            f = self.fee_for(s, entry, "", "", ts, d, rng, None)
            f.period_start, f.period_end = d, add_months(d, 4)
            self.planted_fee(s, d, ts, rng, fee=f)
            add("FEE-PREPAY-TRAINING", s, f.fee_id, "a course paid four months ahead")
        for s in rng.sample(with_floor, min(k, len(with_floor))):
            d, ts = when(s)
            balance = s.supervised.opening + sum(t.amount for t in s.supervised.txs if t.ts < ts)
            out = balance - s.min_balance * 2 // 5
            if out <= 0:
                continue
            me = Party(s.supervised.holder, s.supervised.number, SCHOOL_BANK, "organisation")
            other = Party(s.basic.holder, s.basic.number, SCHOOL_BANK, "organisation")
            s.tx(s.supervised, ts, -out, other, "临时调拨")
            s.tx(s.basic, ts, out, me, "临时调拨")
            s.tx(s.basic, ts + 3 * 86400, -out, me, "调拨归还")
            s.tx(s.supervised, ts + 3 * 86400, out, other, "调拨归还")
            add("FUND-MINBAL", s, s.supervised.number, "supervised balance moved out for three days")
        # Near misses of the per-day and per-record thresholds.
        quiet = [s for s in schools if s not in cash_schools] or schools
        for s in rng.sample(quiet, min(k, len(quiet))):
            d, ts = when(s)
            s.basic.txs = [t for t in s.basic.txs if not (t.party is NO_PARTY and local_date(t.ts) == d)]
            s.tx(s.basic, ts, -4_999_999, NO_PARTY, "现金支取")
            self.near.append({"rule": "FUND-CASH", "school": s.id, "key": key_day(s.basic, d),
                              "story": "cash 49,999.99 on one day"})
            t = s.tx(s.basic, ts, -8_000_000, rng.choice(s.staff), "年终奖金及工资")
            s.basic.opening += 8_000_000
            self.near.append({"rule": "FUND-TO-PERSON", "school": s.id, "key": t,
                              "story": "80,000 to a person as payroll"})

    def planted_fee(self, s: School, d: date, ts: int, rng: random.Random, *, receiving: Optional[Account] = None,
                    fee_type: str = "", amount: int = 0, enrolled: Optional[date] = None,
                    fee: Optional[Fee] = None) -> Fee:
        sid, grade, parent, _ = rng.choice(s.students)
        if fee is None:
            fee = self.fee_for(s, s.catalogue[0], sid, grade, ts, d, rng, None)
            if fee_type:
                fee.fee_type = fee_type
                fee.amount = amount
                fee.hours = None
        fee.student_id, fee.grade = sid, grade
        fee.enrolled_at = enrolled
        acct = receiving or s.supervised
        fee.receiving_account = acct.number
        fee.fee_id = f"F{s.index:04d}-P{len(s.fees):06d}"
        s.fees.append(fee)
        s.tx(acct, ts, fee.amount, parent, f"{sid} {FEE_LABEL.get(fee.fee_type, '费用')}")
        return fee

    # -- the incremental day -----------------------------------------------
    def extra_day(self) -> None:
        rng = self.rng
        n_fee = max(1, self.n_records // 1000)
        n_other = max(1, self.n_records // 1000)
        for k in range(n_fee):
            s = rng.choice(self.schools)
            ts = local_midnight_utc(EXTRA_DAY) + rng.randrange(8 * 3600, 21 * 3600, 60)
            sid, grade, parent, enrolled = rng.choice(s.students)
            fee = self.fee_for(s, rng.choice(s.catalogue), sid, grade, ts, EXTRA_DAY, rng, enrolled)
            fee.fee_id = f"F{s.index:04d}-D{k:06d}"
            s.extra_fees.append(fee)
            s.tx(s.supervised, ts, fee.amount, parent, f"{sid} {FEE_LABEL[fee.fee_type]}", into=s.supervised.extra)
        for k in range(n_other):
            s = rng.choice(self.schools)
            ts = local_midnight_utc(EXTRA_DAY) + rng.randrange(9 * 3600, 18 * 3600, 60)
            low, high = s.debit_range
            s.tx(s.basic, ts, -(rng.randrange(low, high) // 100 * 100), rng.choice(s.staff), "9月工资",
                 into=s.basic.extra)


def t_last(acct: Account) -> Tx:
    return acct.txs[-1]


FEE_LABEL = {"tuition": "学费", "boarding": "住宿费", "meals": "伙食费", "training": "培训费",
             "materials": "教材资料费", "donation": "捐资助学款", "other": "其他费用"}


# ---------------------------------------------------------------------------
# References and balances


def finish_account(acct: Account) -> list[tuple[date, int, int, list[Tx]]]:
    """Sorts, numbers (bank reference per day) and returns the statement days
    (day, opening, closing, entries) of the year."""
    acct.txs.sort(key=lambda t: (t.ts, t.seq))
    days: dict[date, list[Tx]] = {}
    for t in acct.txs:
        days.setdefault(local_date(t.ts), []).append(t)
    out = []
    run = acct.opening
    tail = acct.number[-6:]
    for d in sorted(days):
        entries = days[d]
        for n, t in enumerate(entries, 1):
            t.ref = f"{d:%y%m%d}{tail}{n:04d}"
        opening = run
        run += sum(t.amount for t in entries)
        out.append((d, opening, run, entries))
    acct.closing_before_extra = run
    acct.extra.sort(key=lambda t: (t.ts, t.seq))
    for n, t in enumerate(acct.extra, 1):
        t.ref = f"{EXTRA_DAY:%y%m%d}{tail}{n:04d}"
    return out


# ---------------------------------------------------------------------------
# Writers


def camt_entry(acct: Account, t: Tx, v08: bool, date_only: bool) -> str:
    credit = t.amount > 0
    p = t.party
    booked = (f"<BookgDt><Dt>{local_date(t.ts).isoformat()}</Dt></BookgDt>" if date_only
              else f"<BookgDt><DtTm>{iso_local(t.ts)}</DtTm></BookgDt>")
    parts = [f'      <Ntry>\n        <Amt Ccy="CNY">{fmt_amount(abs(t.amount))}</Amt>\n'
             f"        <CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>\n"
             f"        {'<Sts><Cd>BOOK</Cd></Sts>' if v08 else '<Sts>BOOK</Sts>'}\n"
             f"        {booked}\n        <ValDt><Dt>{local_date(t.ts).isoformat()}</Dt></ValDt>\n"
             f"        <AcctSvcrRef>{t.ref}</AcctSvcrRef>\n"
             f"        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{'RCDT' if credit else 'ICDT'}</Cd>"
             f"<SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
             f"        <NtryDtls>\n          <TxDtls>\n"
             f"            <Refs><AcctSvcrRef>{t.ref}</AcctSvcrRef></Refs>\n"]
    if p.name:
        ident = ""
        if p.ident:
            kind = "PrvtId" if p.cls == "person" else "OrgId"
            ident = f"<Id><{kind}><Othr><Id>{p.ident}</Id></Othr></{kind}></Id>"
        party_body = f"<Nm>{x(p.name)}</Nm>{ident}"
        if v08:
            party_body = f"<Pty>{party_body}</Pty>"
        role = "Dbtr" if credit else "Cdtr"
        me = "Cdtr" if credit else "Dbtr"
        me_body = f"<Nm>{x(acct.holder)}</Nm>"
        if v08:
            me_body = f"<Pty>{me_body}</Pty>"
        parts.append(f"            <RltdPties>\n"
                     f"              <{me}>{me_body}</{me}>\n"
                     f"              <{role}>{party_body}</{role}>\n")
        if p.account:
            parts.append(f"              <{role}Acct><Id><Othr><Id>{p.account}</Id></Othr></Id></{role}Acct>\n")
        parts.append("            </RltdPties>\n")
        if p.bank:
            agt = "DbtrAgt" if credit else "CdtrAgt"
            parts.append(f"            <RltdAgts><{agt}><FinInstnId><Nm>{x(p.bank)}</Nm></FinInstnId></{agt}></RltdAgts>\n")
    parts.append(f"            <RmtInf><Ustrd>{x(t.purpose)}</Ustrd></RmtInf>\n"
                 f"          </TxDtls>\n        </NtryDtls>\n      </Ntry>\n")
    return "".join(parts)


def camt_statement(acct: Account, d: date, opening: int, closing: int, entries: list[Tx], v08: bool) -> str:
    bal = []
    for code, amount in (("OPBD", opening), ("CLBD", closing)):
        bal.append(f"      <Bal>\n        <Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>\n"
                   f'        <Amt Ccy="CNY">{fmt_amount(abs(amount))}</Amt>\n'
                   f"        <CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd>\n"
                   f"        <Dt><Dt>{d.isoformat()}</Dt></Dt>\n      </Bal>\n")
    date_only = acct.fmt in DATE_ONLY
    return (f"    <Stmt>\n      <Id>{acct.number}-{d:%Y%m%d}</Id>\n"
            f"      <CreDtTm>{d.isoformat()}T23:30:00+08:00</CreDtTm>\n"
            f"      <Acct>\n        <Id><Othr><Id>{acct.number}</Id></Othr></Id>\n        <Ccy>CNY</Ccy>\n"
            f"        <Nm>{x(acct.holder)}</Nm>\n      </Acct>\n"
            + "".join(bal) + "".join(camt_entry(acct, t, v08, date_only) for t in entries) + "    </Stmt>\n")


def camt_document(statements: list[str], v08: bool, msg_id: str, created: date) -> str:
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{'08' if v08 else '02'}"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<Document xmlns="{ns}">\n  <BkToCstmrStmt>\n'
            f"    <GrpHdr>\n      <MsgId>{msg_id}</MsgId>\n      <CreDtTm>{created.isoformat()}T23:30:00+08:00</CreDtTm>\n"
            "    </GrpHdr>\n" + "".join(statements) + "  </BkToCstmrStmt>\n</Document>\n")


def chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def mt940_message(acct: Account, d: date, opening: int, closing: int, entries: list[Tx], seq: int,
                  envelope: bool) -> str:
    msg = [f":20:STM{d:%y%m%d}{acct.number[-4:]}", f":25:{acct.number}", f":28C:{seq:05d}/001",
           f":60F:{'C' if opening >= 0 else 'D'}{d:%y%m%d}CNY{mt940_amount(opening)}"]
    for t in entries:
        mark = "C" if t.amount > 0 else "D"
        msg.append(f":61:{d:%y%m%d}{d:%m%d}{mark}{mt940_amount(t.amount)}NTRFNONREF//{t.ref}")
        info = f":86:{'166' if t.amount > 0 else '116'}?00{'汇入' if t.amount > 0 else '汇出'}"
        for j, part in enumerate(chunks(t.purpose, 27)[:10]):
            info += f"\n?{20 + j}{part}"
        if t.party.account:
            info += f"\n?31{t.party.account}"
        if t.party.name:
            info += f"\n?32{t.party.name}"
        msg.append(info)
    msg.append(f":62F:{'C' if closing >= 0 else 'D'}{d:%y%m%d}CNY{mt940_amount(closing)}")
    if envelope:
        header = f"{{2:O9402330{d:%y%m%d}PCBCCNBJAXXX0000000000{d:%y%m%d}2330N}}"
        return "{1:F01PCBCCNBJAXXX0000000000}" + header + "{4:\n" + "\n".join(msg) + "\n-}\n"
    return "\n".join(msg) + "\n-\n"


BANK_CSV_HEADER = ["txn_id", "account", "booked_at", "value_date", "amount", "currency", "counterparty_name",
                   "counterparty_account", "counterparty_bank", "counterparty_type", "purpose", "balance_after"]


def bank_csv_rows(acct: Account, days) -> list[list[str]]:
    rows = []
    for d, opening, closing, entries in days:
        run = opening
        for t in entries:
            run += t.amount
            p = t.party
            rows.append([t.ref, acct.number, iso_local(t.ts), d.isoformat(), fmt_amount(t.amount), "CNY", p.name,
                         p.account, p.bank, p.cls if p.cls != "unknown" else "", t.purpose, fmt_amount(run)])
    return rows


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


FEE_FIELDS = ["fee_id", "school_id", "student_id", "paid_at", "amount", "fee_type", "grade", "period_start",
              "period_end", "hours", "receiving_account", "refund_of", "enrolled_at"]


def fee_row(f: Fee) -> list[str]:
    return [f.fee_id, f.school_id, f.student_id, iso_local(f.paid_at), fmt_amount(f.amount), f.fee_type, f.grade,
            f.period_start.isoformat(), f.period_end.isoformat(), "" if f.hours is None else str(f.hours),
            f.receiving_account, "", f.enrolled_at.isoformat() if f.enrolled_at else ""]


def fees_text(fees: list[Fee], fmt: str) -> str:
    rows = [fee_row(f) for f in fees]
    if fmt == "jsonl":
        return "".join(json.dumps({k: v for k, v in zip(FEE_FIELDS, r) if v != ""}, ensure_ascii=False) + "\n"
                       for r in rows)
    return csv_text(FEE_FIELDS, rows)


def yaml_str(v: str) -> str:
    return json.dumps(v, ensure_ascii=False)


def registry_entry(s: School) -> str:
    out = [f"  - id: {s.id}", f"    name: {s.name}", f"    kind: {s.kind}",
           f"    nonprofit: {'true' if s.nonprofit else 'false'}", f"    inclusive: {'true' if s.inclusive else 'false'}",
           f"    district: {s.district}", f"    enrollment: {s.enrollment}"]
    if s.min_balance is not None:
        out.append(f"    min_balance: {yaml_str(fmt_amount(s.min_balance))}")
    out.append("    accounts:")
    for a in s.accounts:
        out.append(f"      - {{number: {yaml_str(a.number)}, bank: {SCHOOL_BANK}, role: {a.role}}}")
    out.append("    related_parties:")
    out.append(f"      - {{name: {s.sponsor.name}, account: {yaml_str(s.sponsor.account)}, relation: sponsor}}")
    out.append(f"      - {{name: {s.director.name}, account: {yaml_str(s.director.account)}, relation: director}}")
    out.append("    fee_catalogue:")
    for e in s.catalogue:
        out.append(f"      - {{fee_type: {e['fee_type']}, grade: {e['grade']}, cap: {yaml_str(fmt_amount(e['cap']))}, "
                   f"per: {e['per']}}}")
    return "\n".join(out)


CONFIG = """\
# The benchmark city (bench/generate_city.py). bench/measure.py writes its own
# configs next to the store it measures; this one ingests the year's inbox.
database: sfmon.db
registry: schools.yaml
watchlist: watchlist.csv
connectors:
  - {name: bank-inbox, type: bank-files, path: inbox/bank}
  - {name: fee-inbox, type: fee-files, path: inbox/fees}
"""


class Writer:
    def __init__(self, out: str) -> None:
        self.out = out
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, text: str) -> None:
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        self.files += 1
        self.bytes += len(data)


def write_city(city: City, out: str) -> dict:
    w = Writer(out)
    counts = {"bank_records": 0, "fee_records": 0, "bank_files": 0, "fee_files": 0,
              "day_bank_records": 0, "day_fee_records": 0, "formats": {}}
    w.write("sfmon.yaml", CONFIG)
    w.write("schools.yaml", "schools:\n" + "\n".join(registry_entry(s) for s in city.schools) + "\n")
    w.write("watchlist.csv", csv_text(["name", "account", "reason"], [list(r) for r in city.watchlist]))

    sql = os.path.join(out, "sql")
    os.makedirs(sql, exist_ok=True)
    bank_sql = open(os.path.join(sql, "bank.csv"), "w", encoding="utf-8", newline="")
    fee_sql = open(os.path.join(sql, "fees.csv"), "w", encoding="utf-8", newline="")
    bal_sql = open(os.path.join(sql, "balances.csv"), "w", encoding="utf-8", newline="")
    bank_w, fee_w, bal_w = (csv.writer(f, lineterminator="\n") for f in (bank_sql, fee_sql, bal_sql))
    bank_w.writerow(["account", "bank_ref", "booked_at_utc", "day", "amount_fen", "status", "cp_name", "cp_account",
                     "cp_class", "purpose"])
    fee_w.writerow(["school_id", "fee_id", "student_id", "paid_at_utc", "day", "amount_fen", "fee_type", "grade",
                    "period_start", "period_end", "hours", "receiving_account", "refund_of", "enrolled_at"])
    bal_w.writerow(["account", "date", "closing_fen"])

    day_camt = {False: [], True: []}
    day_mt940: list[str] = []
    day_csv: list[list[str]] = []
    day_fees = {"csv": [], "jsonl": []}
    for s in city.schools:
        for acct in s.accounts:
            days = finish_account(acct)
            by_month: dict[tuple[int, int], list] = {}
            for entry in days:
                by_month.setdefault((entry[0].year, entry[0].month), []).append(entry)
            seq = 1
            for (y, m), month_days in by_month.items():
                base = f"inbox/bank/{acct.number}-{y}{m:02d}"
                if acct.fmt.startswith("camt"):
                    v08 = acct.fmt == "camt08"
                    w.write(base + ".xml", camt_document(
                        [camt_statement(acct, *entry, v08) for entry in month_days], v08,
                        f"CCB053{acct.number[-6:]}{y}{m:02d}", month_days[-1][0]))
                elif acct.fmt.startswith("mt940"):
                    env = acct.fmt == "mt940env"
                    w.write(base + ".sta", "".join(
                        mt940_message(acct, *entry, seq + j, env) for j, entry in enumerate(month_days)))
                else:
                    w.write(base + ".csv", csv_text(BANK_CSV_HEADER, bank_csv_rows(acct, month_days)))
                seq += len(month_days)
                counts["bank_files"] += 1
                fam = "camt" if acct.fmt.startswith("camt") else "mt940" if acct.fmt.startswith("mt940") else "csv"
                counts["formats"][fam] = counts["formats"].get(fam, 0) + sum(len(e[3]) for e in month_days)
            for d, opening, closing, entries in days:
                bal_w.writerow([acct.number, d.isoformat(), closing])
                for t in entries:
                    p = t.party
                    bank_w.writerow([acct.number, t.ref, t.ts, local_date(t.ts).isoformat(), t.amount, "booked",
                                     p.name, p.account, p.cls, t.purpose])
                counts["bank_records"] += len(entries)
            if acct.extra:
                run = acct.closing_before_extra
                entry = (EXTRA_DAY, run, run + sum(t.amount for t in acct.extra), acct.extra)
                if acct.fmt.startswith("camt"):
                    day_camt[acct.fmt == "camt08"].append(camt_statement(acct, *entry, acct.fmt == "camt08"))
                elif acct.fmt.startswith("mt940"):
                    day_mt940.append(mt940_message(acct, *entry, 1000, acct.fmt == "mt940env"))
                else:
                    day_csv.extend(bank_csv_rows(acct, [entry]))
                counts["day_bank_records"] += len(acct.extra)
        s.fees.sort(key=lambda f: (f.paid_at, f.fee_id))
        by_month_fees: dict[tuple[int, int], list[Fee]] = {}
        for f in s.fees:
            d = local_date(f.paid_at)
            by_month_fees.setdefault((d.year, d.month), []).append(f)
            fee_w.writerow([f.school_id, f.fee_id, f.student_id, f.paid_at, d.isoformat(), f.amount, f.fee_type,
                            f.grade, f.period_start.isoformat(), f.period_end.isoformat(),
                            "" if f.hours is None else f.hours, f.receiving_account, "",
                            f.enrolled_at.isoformat() if f.enrolled_at else ""])
        for (y, m), fees in sorted(by_month_fees.items()):
            w.write(f"inbox/fees/{s.id}-{y}{m:02d}.{s.fee_format}", fees_text(fees, s.fee_format))
            counts["fee_files"] += 1
        counts["fee_records"] += len(s.fees)
        s.extra_fees.sort(key=lambda f: (f.paid_at, f.fee_id))
        day_fees[s.fee_format].extend(s.extra_fees)
        counts["day_fee_records"] += len(s.extra_fees)
        # Free the year's records of this school: the city is written school by school.
        for acct in s.accounts:
            acct.txs = []
        s.fees = []
    for f in (bank_sql, fee_sql, bal_sql):
        f.close()

    tag = f"{EXTRA_DAY:%Y%m%d}"
    for v08, statements in day_camt.items():
        if statements:
            w.write(f"day/bank/camt053-{'08' if v08 else '02'}-{tag}.xml",
                    camt_document(statements, v08, f"CCB053DAY{tag}{int(v08)}", EXTRA_DAY))
    if day_mt940:
        w.write(f"day/bank/mt940-{tag}.sta", "".join(day_mt940))
    if day_csv:
        w.write(f"day/bank/bank-{tag}.csv", csv_text(BANK_CSV_HEADER, day_csv))
    for fmt, fees in day_fees.items():
        if fees:
            fees.sort(key=lambda f: (f.paid_at, f.fee_id))
            w.write(f"day/fees/fees-{tag}.{fmt}", fees_text(fees, fmt))

    registry_tables(city, sql)
    counts["files"] = w.files
    counts["bytes"] = w.bytes
    return counts


def registry_tables(city: City, sql: str) -> None:
    def write(name: str, header: list[str], rows) -> None:
        with open(os.path.join(sql, name), "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write("schools.csv", ["id", "kind", "compulsory", "training", "min_balance_fen"],
          [[s.id, s.kind, int(s.kind in COMPULSORY), int(s.kind == "training"),
            "" if s.min_balance is None else s.min_balance] for s in city.schools])
    write("accounts.csv", ["number", "school_id", "role"],
          [[a.number, s.id, a.role] for s in city.schools for a in s.accounts])
    write("related.csv", ["school_id", "name", "account", "relation"],
          [[s.id, p.name, p.account, rel] for s in city.schools
           for p, rel in ((s.sponsor, "sponsor"), (s.director, "director"))])
    write("catalogue.csv", ["school_id", "fee_type", "grade", "cap_fen", "per"],
          [[s.id, e["fee_type"], e["grade"], e["cap"], e["per"]] for s in city.schools for e in s.catalogue])
    write("watchlist.csv", ["name", "account", "reason"], [list(r) for r in city.watchlist])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000, help="bank records of the year (fees: half)")
    ap.add_argument("--schools", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20250901)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.records < 20 * args.schools:
        ap.error("--records must be at least 20 per school")

    city = City(args.records, args.schools, args.seed)
    city.make_schools()
    for s, (n_bank, n_fee) in zip(city.schools, city.budget()):
        city.ordinary(s, n_bank, n_fee, random.Random(f"{args.seed}:{s.id}"))
    city.plant()
    city.extra_day()
    os.makedirs(args.out, exist_ok=True)
    counts = write_city(city, args.out)
    for p in city.planted + city.near:
        if isinstance(p["key"], Tx):
            p["key"] = p["key"].ref
    with open(os.path.join(args.out, "planted.json"), "w", encoding="utf-8") as fh:
        json.dump({"planted": city.planted, "near_misses": city.near}, fh, ensure_ascii=False, indent=1)
    counts.update({"schools": args.schools, "seed": args.seed, "records_requested": args.records,
                   "year": [YEAR_START.isoformat(), (EXTRA_DAY - timedelta(days=1)).isoformat()],
                   "extra_day": EXTRA_DAY.isoformat()})
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(counts, fh, indent=1, sort_keys=True)
    print(json.dumps({k: counts[k] for k in ("bank_records", "fee_records", "bank_files", "fee_files",
                                             "day_bank_records", "day_fee_records", "bytes")}))


if __name__ == "__main__":
    main()
