#!/usr/bin/env python3
"""Regenerates the national catalogues in mappings/catalogues/ from ../shared/vn-data/.

Usage: scripts/build-catalogues.py [VN_DATA_FOLDER] [OUTPUT_FOLDER]
(defaults: ../shared/vn-data and mappings/catalogues, relative to the package root).

Writes CSV (UTF-8, LF, RFC 4180 quoting) with a header row; see mappings/catalogues/SOURCES.md for
what each file holds and where it comes from. The output is deterministic: run it twice, get the
same bytes. Copies the source licences into licenses/.
"""
import csv
import io
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "vn-data")
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "mappings", "catalogues")

# Other spellings met in legacy data; the catalogue lookup also folds case, diacritics and
# punctuation, so only genuinely different names are listed.
ETHNIC_ALIASES = {
    "05": ["Khmer", "Khơ me", "Khơ-me Krôm"],
    "08": ["Mông", "H'Mông", "Hmông", "Mèo"],
    "12": ["Ê Đê", "Rađê"],
    "10": ["Jrai", "Gia Lai"],
    "13": ["Bahnar"],
    "16": ["Kơ Ho", "Cơ Ho"],
    "23": ["Bru", "Vân Kiều"],
    "27": ["Gié Triêng", "Giẻ Triêng"],
    "31": ["Tà Ôi", "Pa Cô"],
    "42": ["Lữ"],
    "04": ["Người Hoa", "Hán"],
}


def read(name):
    with open(os.path.join(SOURCE, name), encoding="utf-8") as handle:
        return handle.read()


def write(name, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(os.path.join(OUTPUT, name), "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    print(f"{name}: {len(rows)} rows")


def sql_rows(text, table):
    """The value tuples of every INSERT INTO <table>(…) VALUES … statement, as lists of strings."""
    rows = []
    for statement in re.finditer(r"INSERT INTO " + table + r"\((.*?)\) VALUES\s*(.*?);\s*$", text, re.S | re.M):
        columns = statement.group(1).split(",")
        for match in re.finditer(r"\(((?:'(?:[^']|'')*'|[^'()])*)\)", statement.group(2)):
            values = []
            for token in re.finditer(r"'((?:[^']|'')*)'|([^,\s][^,]*)", match.group(1)):
                values.append(token.group(1).replace("''", "'") if token.group(1) is not None else token.group(2).strip())
            rows.append(dict(zip(columns, values)))
    return rows


def main():
    os.makedirs(os.path.join(OUTPUT, "licenses"), exist_ok=True)

    # Ethnic groups: the official 54 (codes 01-54). 55/56 are non-official extensions: left out.
    ethnic = []
    for row in csv.DictReader(io.StringIO(read("ethnic_groups_vn_54.csv"))):
        if 1 <= int(row["code"]) <= 54:
            ethnic.append([row["code"], row["name"], ";".join(ETHNIC_ALIASES.get(row["code"], []))])
    assert len(ethnic) == 54, len(ethnic)
    write("ethnic-group.csv", ["code", "name", "aliases"], ethnic)

    # Administrative units after 2025-07-01: 34 provinces and 3,321 communes (two levels).
    units = read("thanglequoc_postgres_ImportData_vn_units_2025.sql")
    unit_types = {row["id"]: row["short_name"] for row in sql_rows(units, "administrative_units")}
    provinces = sql_rows(units, "provinces")
    wards = sql_rows(units, "wards")
    gso = {row["Mã số"]: row["Tên 34 tỉnh sau sáp nhập"] for row in csv.DictReader(io.StringIO(read("gso_915_CTK-CSCL_34_provinces_2025.csv")))}
    assert len(provinces) == 34 and set(gso) == {p["code"] for p in provinces}, "provinces disagree with GSO 915"
    province_name = {p["code"]: p["full_name"] for p in provinces}
    rows = [[p["code"], p["name"], p["full_name"], "province", unit_types[p["administrative_unit_id"]], "", ""] for p in sorted(provinces, key=lambda p: p["code"])]
    rows += [[w["code"], w["name"], w["full_name"], "commune", unit_types[w["administrative_unit_id"]], w["province_code"], province_name[w["province_code"]]]
             for w in sorted(wards, key=lambda w: w["code"])]
    assert len(wards) == 3321, len(wards)
    write("admin-unit-2025.csv", ["code", "name", "full_name", "level", "type", "province_code", "province_name"], rows)

    # Old -> new crosswalk (many-to-many): one row per (old commune, new commune) pair.
    splits = json.loads(read("dvhcvn2025_splits_old_to_new.json"))["data"]
    merges = json.loads(read("dvhcvn2025_merges_new_to_old.json"))["data"]
    merge_type = {}
    new_province_of = {}
    for province in merges:
        for commune in province["level2s"]:
            new_province_of[commune["level2_id"]] = province["level1_id"]
            for old in commune["merges"]:
                merge_type[(old["old_id"], commune["level2_id"])] = old["type"]
    crosswalk = []
    provinces_crosswalk = []
    for province in splits:
        for new in province["splits"]:
            provinces_crosswalk.append([province["level1_id"], province["name"], new["new_id"], province_name.get(new["new_id"], new["name"])])
        for commune in province["level3s"]:
            for new in commune["splits"]:
                new_province = new_province_of.get(new["new_id"], "")
                crosswalk.append([commune["level3_id"], commune["name"], province["level1_id"], province["name"],
                                  new["new_id"], new["name"], new_province, province_name.get(new_province, ""),
                                  merge_type.get((commune["level3_id"], new["new_id"]), ""),
                                  str(len(commune["splits"]))])
    crosswalk.sort(key=lambda row: (row[0], row[4]))
    write("commune-crosswalk-2025.csv", ["old_code", "old_name", "old_province_code", "old_province_name", "new_code", "new_name",
                                         "new_province_code", "new_province_name", "merge_type", "candidates"], crosswalk)
    provinces_crosswalk.sort()
    write("province-crosswalk-2025.csv", ["old_code", "old_name", "new_code", "new_name"], provinces_crosswalk)

    for licence in ["LICENSE.dvhcvn-20250701.txt", "LICENSE.thanglequoc-vietnamese-provinces-database.txt"]:
        shutil.copyfile(os.path.join(SOURCE, licence), os.path.join(OUTPUT, "licenses", licence))


if __name__ == "__main__":
    main()
