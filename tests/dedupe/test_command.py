"""`addrkit dedupe IN.csv OUT.csv` end to end on real files."""

from __future__ import annotations

import pandas as pd
import pytest

from addrkit.cli import main

ROWS = [
    ("C1", "杭州云栖科技有限公司", "+86 138-0571-2345", "浙江省杭州市西湖区文三路90号3号楼301室"),
    ("C2", "杭州云栖科技", "13805712345", "杭州西湖区文三路九十号三幢301"),
    ("C3", '=HYPERLINK("x")', "", "杭州市西湖区古墩路88号"),
    ("C4", "杭州恒达贸易有限公司", "0571-88886666", "浙江省杭州市西湖区文三路90号3号楼502室"),
]


def write(path, header, encoding="utf-8"):
    pd.DataFrame(ROWS, columns=header).to_csv(path, index=False, encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_detected_headers_and_result_columns(tmp_path, encoding, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write(src, ["编号", "客户名称", "联系电话", "地址"], encoding)
    assert main(["dedupe", str(src), str(out)]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(result.columns) == [
        "编号",
        "客户名称",
        "联系电话",
        "地址",
        "cluster_id",
        "match_score",
        "match_reason",
    ]
    # Input kept as it was; text a spreadsheet would run as a formula behind an apostrophe.
    assert result["客户名称"].tolist() == [("'" + n if n[0] == "=" else n) for _, n, *_ in ROWS]
    assert result.loc[0, "cluster_id"] == result.loc[1, "cluster_id"] != ""
    assert result.loc[3, "cluster_id"] == "" and result.loc[2, "cluster_id"] == ""
    assert result.loc[1, "match_reason"].startswith("≈ C1: ")
    assert "duplicate groups" in capsys.readouterr().err


def test_columns_named_on_the_command_line(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write(src, ["no", "who", "tel", "where"])
    code = main(
        [
            "dedupe",
            str(src),
            str(out),
            "--id-col",
            "no",
            "--name-col",
            "who",
            "--phone-col",
            "tel",
            "--address-col",
            "where",
        ]
    )
    assert code == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert result.loc[0, "cluster_id"] == result.loc[1, "cluster_id"] != ""


def test_clear_errors(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write(src, ["编号", "客户名称", "联系电话", "地址"])
    assert main(["dedupe", str(src), str(out), "--name-col", "nope"]) == 1
    assert "no column 'nope'" in capsys.readouterr().err
    assert main(["dedupe", str(tmp_path / "missing.csv"), str(out)]) == 1
    assert "file not found" in capsys.readouterr().err
    (tmp_path / "blank.csv").write_text("")
    assert main(["dedupe", str(tmp_path / "blank.csv"), str(out)]) == 1
    assert "empty file" in capsys.readouterr().err
    assert not out.exists()


def test_header_only_file(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("客户名称,电话\n", encoding="utf-8")
    assert main(["dedupe", str(src), str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "客户名称,电话,cluster_id,match_score,match_reason"
    ]
