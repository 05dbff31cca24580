#!/usr/bin/env python3
# Writes crm-export.xlsx with openpyxl (Debian's python3-openpyxl), an XLSX writer independent of
# leadscore's reader (wasm/xlsx.mjs): two sheets, shared and inline strings, numbers, booleans,
# dates and date-times with built-in and custom formats, an error cell, an empty cell, leading
# zeros kept as text, and accented text. Run once; the .xlsx is committed.
import datetime
import pathlib

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Leads"
ws.append(["Email", "Job Title", "Employees", "Revenue", "Opted In", "Created", "Last Call", "Zip", "Notes"])
rows = [
    ["ann@acme.com", "CEO", 250, 1200.5, True, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 2, 9, 30), "02139", "Zoë, \"VIP\""],
    ["bob@beta.io", "vp sales", 12, None, False, datetime.date(2023, 12, 31), None, "10001", "=not a formula"],
    ["cy@gamma.org", "Engineer", 5000, 0.1, True, datetime.date(1999, 1, 1), datetime.datetime(2024, 1, 1, 0, 0, 1), "94103", " padded "],
]
for r in rows:
    ws.append(r)
ws["D3"] = "=1/0"  # a formula without a cached value: read as empty
ws["G2"].number_format = "dd/mm/yyyy hh:mm"
ws["F2"].number_format = "yyyy-mm-dd"
other = wb.create_sheet("Deals")
other.append(["Email", "Won"])
other.append(["ann@acme.com", 1])
wb.save(pathlib.Path(__file__).with_name("crm-export.xlsx"))
