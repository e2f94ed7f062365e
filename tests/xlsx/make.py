#!/usr/bin/python3
"""make.py — builds the .xlsx fixtures of tests/xlsx/ with a writer that is
not kaohe's: openpyxl (Debian's python3-openpyxl) for the workbooks an
officer would save, Python's zipfile for the hostile ones, whose XML is
written out by hand. The fixtures are committed; run this again only to
change them:

    /usr/bin/python3 tests/xlsx/make.py        (from the repository root)

Every workbook is written with fixed timestamps, so running it twice gives
the same files."""
import csv
import decimal
import datetime
import io
import os
import zipfile

import openpyxl
from openpyxl.styles import Font

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "xlsx")
FACTS = os.path.join(ROOT, "examples", "xinjian-2021", "facts.csv")
RULES = os.path.join(ROOT, "rules", "xinjian-2021")
PERCENT = set()
FIXED = datetime.datetime(2021, 12, 31, 12, 0, 0)


def percent_facts():
    """The rubric's percent facts, as facts.kh declares them."""
    with open(os.path.join(RULES, "facts.kh"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0] == "fact" and parts[3] == "percent":
                PERCENT.add(parts[1])


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def number(text):
    """A CSV cell as the value Excel would hold: int, exact float, or text."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        float(text)
        return float(text)
    except ValueError:
        return text


def save(wb, name):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path = os.path.join(OUT, name)
    wb.save(path)
    fix_times(path)


def fix_times(path):
    """openpyxl stamps docProps/core.xml with now: rewrite the archive with
    a fixed date on every member, so the bytes do not change between runs."""
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2021, 12, 31, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def facts_sheet(ws, rows, top=1):
    """The fact rows from row `top` on: percents as fractions with a 0%
    format (Excel stores 80% as 0.8), counts as numbers, words as text."""
    header = rows[0]
    for c, name in enumerate(header, 1):
        ws.cell(row=top, column=c, value=name)
    for r, row in enumerate(rows[1:], top + 1):
        for c, text in enumerate(row, 1):
            cell = ws.cell(row=r, column=c)
            if header[c - 1] in PERCENT and text != "":
                # the fraction's shortest float text is the decimal itself
                v = decimal.Decimal(text.rstrip("%")) / 100
                cell.value = int(v) if v == int(v) else float(v)
                cell.number_format = "0%"
            else:
                cell.value = number(text)


def example_facts():
    rows = read_csv(FACTS)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核数据"
    facts_sheet(ws, rows)
    save(wb, "facts.xlsx")

    # As a notice prints it: a title merged over the columns, a blank row,
    # the header in row 3, and each unit's name merged down over its rows.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核数据"
    ws.cell(row=1, column=1, value="新建区2021年度乡镇（街道）人社服务专窗考核数据").font = Font(bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    facts_sheet(ws, rows, top=3)
    r = 4
    while r < 4 + len(rows) - 1:
        name = ws.cell(row=r, column=1).value
        end = r
        while end + 1 < 4 + len(rows) - 1 and ws.cell(row=end + 1, column=1).value == name:
            end += 1
        if end > r:
            for k in range(r + 1, end + 1):
                ws.cell(row=k, column=1).value = None
            ws.merge_cells(start_row=r, start_column=1, end_row=end, end_column=1)
        r = end + 1
    # A hidden sheet before it would not be read: the first visible one is.
    save(wb, "facts-layout.xlsx")


def annexes():
    for name in ("annex3", "annex4", "annex5"):
        rows = read_csv(os.path.join(RULES, name + ".csv"))
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "附件"
        for r, row in enumerate(rows, 1):
            for c, text in enumerate(row, 1):
                ws.cell(row=r, column=c, value=number(text))
        save(wb, name + ".xlsx")


def several_sheets():
    """One workbook as an office keeps it: a notes sheet first, then the
    facts, then annex 5 — each read by its name (--sheet, table … sheet)."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.cell(row=1, column=1, value="本工作簿：考核数据、附件5。")
    facts_sheet(wb.create_sheet("考核数据"), read_csv(FACTS))
    ws = wb.create_sheet("附件5")
    for r, row in enumerate(read_csv(os.path.join(RULES, "annex5.csv")), 1):
        for c, text in enumerate(row, 1):
            ws.cell(row=r, column=c, value=number(text))
    save(wb, "sheets.xlsx")


def small(name, cells, sheet="考核数据", edit=None):
    """A small fact workbook for tests/lang-style rubrics: header 单位, 期别,
    人数, 完成率 and the rows given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(cells, 1):
        for c, v in enumerate(row, 1):
            ws.cell(row=r, column=c, value=v)
    if edit:
        edit(ws)
    save(wb, name)


def error_cells():
    head = ["单位", "期别", "人数", "完成率"]
    small("div0.xlsx", [head, ["甲镇", "上半年", 3, 0.8], ["甲镇", "全年", "#DIV/0!", 0.9]])
    small("na.xlsx", [head, ["甲镇", "上半年", "#N/A", 0.8], ["甲镇", "全年", 3, 0.9]])
    small("formula.xlsx", [head, ["甲镇", "上半年", "=1+2", 0.8], ["甲镇", "全年", 3, 0.9]])

    def pct(ws):
        for r in (2, 3):
            ws.cell(row=r, column=4).number_format = "0.0%"
    small("percent.xlsx", [head, ["甲镇", "上半年", 3, 0.805], ["甲镇", "全年", 4, 1]], edit=pct)

    def hide(ws):
        ws.row_dimensions[3].hidden = True
        ws.column_dimensions["C"].hidden = True
        for r in (2, 3):
            ws.cell(row=r, column=4).number_format = "0%"
    small("hidden.xlsx", [head, ["甲镇", "上半年", 3, 0.8], ["甲镇", "全年", 4, 0.9]], edit=hide)

    def date(ws):
        ws.cell(row=2, column=3).value = datetime.date(2021, 7, 1)
        for r in (2, 3):
            ws.cell(row=r, column=4).number_format = "0%"
    small("date.xlsx", [head, ["甲镇", "上半年", 3, 0.8], ["甲镇", "全年", 4, 0.9]], edit=date)

    def title(ws):
        ws.insert_rows(1, 2)
        ws.cell(row=1, column=1, value="甲镇考核数据")
        for r in (4, 5):
            ws.cell(row=r, column=4).number_format = "0%"
    small("title.xlsx", [head, ["甲镇", "上半年", 2, 0.8], ["甲镇", "全年", 3, 0.9]],
          sheet="数据", edit=title)


# ---- hostile workbooks: the parts written by hand --------------------------

CT = ('<?xml version="1.0" encoding="UTF-8"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?>'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="考核数据" sheetId="1" r:id="rId1"/></sheets></workbook>')
WBRELS = ('<?xml version="1.0" encoding="UTF-8"?>'
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
          '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + '><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c>'
         '<c r="B1" t="inlineStr"><is><t>期别</t></is></c><c r="C1" t="inlineStr"><is><t>人数</t></is></c>'
         '<c r="D1" t="inlineStr"><is><t>完成率</t></is></c></row></sheetData></worksheet>')


def hostile(name, sheet=SHEET, sst=None, streams=None, parts=None):
    """A minimal workbook of hand-written parts; streams writes a part
    piece by piece (a part too large to build in memory first); parts
    replaces a standard part's text, or leaves it out (None)."""
    path = os.path.join(OUT, name)
    parts = parts or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        def put(member, text):
            text = parts.get(member, text)
            if text is None:
                return
            info = zipfile.ZipInfo(member, date_time=(2021, 12, 31, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
        put("[Content_Types].xml", CT)
        put("_rels/.rels", RELS)
        put("xl/workbook.xml", WB)
        put("xl/_rels/workbook.xml.rels", WBRELS)
        if sst is not None:
            put("xl/sharedStrings.xml", sst)
        if streams:
            member, pieces = streams
            info = zipfile.ZipInfo(member, date_time=(2021, 12, 31, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                for piece in pieces:
                    f.write(piece)
        else:
            put("xl/worksheets/sheet1.xml", sheet)


def hostile_workbooks():
    # A zip bomb: a sheet of 300 MiB of spaces, about 300 KiB packed.
    def spaces():
        yield SHEET[:-len("</worksheet>")].encode()
        block = b" " * (1 << 20)
        for _ in range(300):
            yield block
        yield b"</worksheet>"
    hostile("bomb.xlsx", streams=("xl/worksheets/sheet1.xml", spaces()))

    # Entity expansion ("billion laughs"): ten levels of ten.
    ents = '<!ENTITY a0 "ha">' + "".join(
        '<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
    laughs = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [' + ents + ']>'
              '<worksheet ' + NS + '><sheetData><row r="1"><c r="A1" t="inlineStr">'
              '<is><t>&a9;</t></is></c></row></sheetData></worksheet>')
    hostile("entities.xlsx", sheet=laughs)

    # A shared-string table past the limit, the count not declared.
    def strings():
        yield ('<?xml version="1.0" encoding="UTF-8"?><sst ' + NS + '>').encode()
        for i in range(1000001):
            yield b"<si><t>a</t></si>"
        yield b"</sst>"
    hostile("huge-sst.xlsx", streams=("xl/sharedStrings.xml", strings()))
    # ...and one that declares it.
    hostile("huge-sst-declared.xlsx",
            sst='<?xml version="1.0" encoding="UTF-8"?><sst ' + NS +
                ' count="5000000" uniqueCount="5000000"><si><t>a</t></si></sst>')

    # A sheet of a million rows: as its dimension says, and as its rows say.
    rows = ('<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + '>'
            '<dimension ref="A1:B1000000"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>期别</t></is></c></row></sheetData></worksheet>')
    hostile("million-rows.xlsx", sheet=rows)
    sparse = SHEET.replace("</sheetData>", '<row r="1000000"><c r="A1000000"><v>1</v></c>'
                           '<c r="B1000000"><v>2</v></c></row></sheetData>')
    hostile("million-rows-sparse.xlsx", sheet=sparse)

    # A truncated archive: the first half of facts.xlsx.
    with open(os.path.join(OUT, "facts.xlsx"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])

    # Not XML at all inside.
    hostile("bad-xml.xlsx", sheet='<?xml version="1.0"?><worksheet><sheetData><row>')

    # Broken structure, as a damaged or hand-made file can be: no workbook
    # part, a workbook with no sheet, a sheet whose relationship is missing,
    # a cell reference that is not Excel's (a1, A0).
    hostile("no-workbook.xlsx", parts={"xl/workbook.xml": None})
    hostile("no-sheets.xlsx", parts={"xl/workbook.xml": WB.replace(
        '<sheets><sheet name="考核数据" sheetId="1" r:id="rId1"/></sheets>', "<sheets/>")})
    hostile("sheet-no-part.xlsx", parts={"xl/workbook.xml": WB.replace('r:id="rId1"', 'r:id="rId9"')})
    hostile("bad-ref.xlsx", sheet=SHEET.replace("</sheetData>", '<row r="2"><c r="a2" t="inlineStr">'
                                                '<is><t>甲镇</t></is></c></row></sheetData>'))
    hostile("row-zero.xlsx", sheet=SHEET.replace("</sheetData>", '<row r="2"><c r="A0" t="inlineStr">'
                                                 '<is><t>甲镇</t></is></c></row></sheetData>'))

    # Cell kinds a writer other than Excel may use: a boolean cell (t="b"),
    # a formula's text result (t="str"), an ISO date (t="d"), a boolean
    # that is neither 0 nor 1, and a hidden column marked "true".
    kinds = ('<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + '>'
             '<cols><col min="6" max="6" hidden="true"/></cols><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>期别</t></is></c><c r="C1" t="inlineStr"><is><t>有窗口</t></is></c>'
             '<c r="D1" t="inlineStr"><is><t>备注</t></is></c><c r="E1" t="inlineStr"><is><t>日期</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>甲镇</t></is></c><c r="B2" t="inlineStr"><is><t>上半年</t></is></c>'
             '<c r="C2" t="b"><v>1</v></c><c r="D2" t="str"><f>"好"&amp;""</f><v>好</v></c>'
             '<c r="E2" t="d"><v>2021-06-30T00:00:00</v></c></row>'
             '<row r="3"><c r="A3" t="inlineStr"><is><t>甲镇</t></is></c><c r="B3" t="inlineStr"><is><t>全年</t></is></c>'
             '<c r="C3" t="b"><v>2</v></c><c r="D3" t="inlineStr"><is><t>一般</t></is></c></row>'
             '</sheetData></worksheet>')
    hostile("kinds.xlsx", sheet=kinds)
    hostile("kinds-ok.xlsx", sheet=kinds.replace('t="b"><v>2</v>', 't="b"><v>0</v>'))


def main():
    percent_facts()
    example_facts()
    annexes()
    several_sheets()
    error_cells()
    hostile_workbooks()


if __name__ == "__main__":
    main()
