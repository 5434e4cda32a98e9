"""The share-ready copy leaks nothing: personal numbers inside free text are masked in
every column, and hidden sheets, caches, keys and credentials the user did not choose to
share are gone. Every cell of the copy is read back and searched."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from addrkit.ops.share import mask_text
from addrkit.workbook.run_file import run_file

from .books import make_book

HEADERS = ["客户编号", "客户名称", "电话", "地址", "备注"]
ROWS = [
    ["C1", "王超平", "13145920644", "王超平 13145920644 辽宁省大连市瓦房店市兴业路60号", "身份证 11010519491231002X"],
    ["C2", "李四", "+86 138 1234 5678", "浙江省杭州市西湖区文三路90号（联系 138-1234-5678）", "邮箱 li.si@example.com 急"],
    ["C3", "赵五", None, "上海市浦东新区世纪大道1号 tel 021-58881234", 13912345678],
    ["C4", "钱六", "-", "江苏省南京市玄武区中山路1号", "订单号 20250101123456789012"],
]
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)")
ID_CARD = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
SECRETS = ("AKIAIOSFODNN7EXAMPLE", "s3cr3t-pass", "C:/keys/amap.txt", "AMAP_KEY")


def _book(tmp_path):
    path = make_book(tmp_path / "b.xlsx", headers=HEADERS, rows=ROWS)
    wb = openpyxl.load_workbook(path)
    settings = wb["设置 Settings"]
    settings.append(("登记簿 Registry", "postgresql://sales:s3cr3t-pass@db.internal/codes"))
    settings.append(("高德密钥文件 Amap key file", "file:C:/keys/amap.txt"))
    cache = wb.create_sheet("地理编码缓存 Geocode cache")
    cache.append(["address", "lat", "lon", "key"])
    cache.append(["辽宁省大连市瓦房店市兴业路60号 13145920644", 39.6, 122.0, "AKIAIOSFODNN7EXAMPLE"])
    cache.sheet_state = "hidden"
    snap = wb.create_sheet("_addrkit_undo")
    snap.append(["old", "王超平 13145920644"])
    snap.sheet_state = "veryHidden"
    regions = wb.create_sheet("区域 Regions")
    regions.append(["省", "区域", "销售"])
    regions.append(["辽宁省", "东北", "张三 13700001111"])
    wb.properties.creator = "Zhang San (sales)"
    wb.properties.lastModifiedBy = "Li Si (finance)"
    wb.save(path)
    return path


def _all_text(path) -> str:
    """Every cell value and every XML part of the copy, as one text to search."""
    texts = []
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts += ["" if v is None else str(v) for v in row]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            texts.append(archive.read(name).decode("utf-8", "replace"))
    return "\n".join(texts)


def test_no_phone_id_or_email_left_anywhere(tmp_path):
    path = _book(tmp_path)
    result = run_file(["share"], path)
    text = _all_text(result.path)
    assert not MOBILE.findall(text), MOBILE.findall(text)
    assert not ID_CARD.findall(text)
    assert not EMAIL.findall(text)
    assert "58881234" not in text  # a landline inside the address
    ws = openpyxl.load_workbook(result.path)["客户 Customers"]
    address = ws["D2"].value
    assert address.startswith("王超平 131****0644 辽宁省大连市瓦房店市兴业路60号")
    assert ws["D5"].value == "江苏省南京市玄武区中山路1号"  # nothing to hide: unchanged
    assert ws["E5"].value == "订单号 20250101123456789012"  # 20 digits: not an ID number
    assert result.share.masked >= 7


def test_hidden_sheets_caches_and_credentials_are_removed(tmp_path):
    path = _book(tmp_path)
    result = run_file(["share"], path)
    copy = openpyxl.load_workbook(result.path)
    assert "地理编码缓存 Geocode cache" not in copy.sheetnames
    assert "_addrkit_undo" not in copy.sheetnames
    assert "区域 Regions" in copy.sheetnames  # a visible sheet the user shares
    assert all(ws.sheet_state == "visible" for ws in copy.worksheets)
    text = _all_text(result.path)
    for secret in SECRETS:
        assert secret not in text, secret
    assert set(result.share.removed_sheets) >= {"地理编码缓存 Geocode cache", "_addrkit_undo"}
    assert "Zhang San" not in text and "Li Si" not in text  # authors in docProps


def test_source_is_not_changed(tmp_path):
    path = _book(tmp_path)
    before = path.read_bytes()
    run_file(["share"], path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("王超平 13145920644 辽宁省", "王超平 131****0644 辽宁省"),
        ("tel: 138-1234-5678.", "tel: 138-****-5678."),
        ("ID 11010519491231002X", "ID 110***********002X"),
        ("mail li.si@example.com", "mail l****@example.com"),
        ("电话 0571-88881234", "电话 0571-****1234"),
        ("20250101123456789012", "20250101123456789012"),
        ("文三路90号", "文三路90号"),
        (13145920644, "131****0644"),
        (3.5, 3.5),
        (None, None),
        (True, True),
    ],
)
def test_mask_text(value, masked):
    assert mask_text(value) == masked


def test_masking_off_in_settings_keeps_numbers_but_still_drops_secrets(tmp_path):
    path = _book(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["设置 Settings"].append(("电话脱敏 Mask phones", "否"))
    wb.save(path)
    result = run_file(["share"], path)
    text = _all_text(result.path)
    assert "13145920644" in text and result.share.masked == 0
    for secret in SECRETS:
        assert secret not in text, secret
