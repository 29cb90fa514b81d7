#!/usr/bin/env python3
"""Derives, independently of sfmon's parsers, the booked entry count and signed
sum per currency of every conformance file, straight from the standards:
camt: every Ntry whose Sts (or Sts/Cd) is BOOK, Amt signed by CdtDbtInd;
MT940: every :61: line, C and RD positive, D and RC negative.
Writes tests/data/conformance_expected.csv (file,currency,entries,sum_fen)."""
import csv
import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path


def local(tag):
    return tag.rsplit('}', 1)[-1]


def child(node, name):
    for c in node:
        if local(c.tag) == name:
            return c
    return None


def camt(path):
    totals = {}
    root = ET.parse(path).getroot()
    for ntry in root.iter():
        if local(ntry.tag) != 'Ntry':
            continue
        sts = child(ntry, 'Sts')
        status = (sts.text or '').strip()
        if child(sts, 'Cd') is not None:
            status = child(sts, 'Cd').text.strip()
        if status != 'BOOK':
            continue
        amt = child(ntry, 'Amt')
        sign = -1 if child(ntry, 'CdtDbtInd').text.strip() == 'DBIT' else 1
        fen = int(Decimal(amt.text.strip()) * 100) * sign
        cur = amt.get('Ccy')
        n, s = totals.get(cur, (0, 0))
        totals[cur] = (n + 1, s + fen)
    return totals


LINE61 = re.compile(r'^:61:(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+,\d*)')


def mt940(path):
    totals = {}
    text = path.read_bytes().decode('latin-1')
    currency = None
    for line in text.splitlines():
        m = re.match(r'^:60[FM]:[CD]\d{6}([A-Z]{3})', line)
        if m:
            currency = m.group(1)
        m = LINE61.match(line)
        if not m:
            continue
        mark = m.group(3)
        fen = int(Decimal(m.group(5).replace(',', '.')) * 100)
        fen = fen if mark in ('C', 'RD') else -fen
        n, s = totals.get(currency, (0, 0))
        totals[currency] = (n + 1, s + fen)
    return totals


def main():
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / '..' / 'shared' / 'conformance'
    out = Path(__file__).resolve().parents[1] / 'data' / 'conformance_expected.csv'
    rows = []
    for folder, fn in (('camt', camt), ('mt940', mt940)):
        for path in sorted((base / folder).iterdir()):
            for cur, (n, s) in sorted(fn(path).items()):
                rows.append([f'{folder}/{path.name}', cur, n, s])
    with out.open('w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['file', 'currency', 'entries', 'sum_fen'])
        w.writerows(rows)
    print(f'{len(rows)} rows -> {out}')


if __name__ == '__main__':
    main()
