"""CSV and address lines in GBK/GB18030 are read as Chinese, never as garbage; an encoding
that is neither UTF-8 nor GBK stops with a message naming --encoding."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from addrkit.cli import main

LINES = ["浙江省杭州市西湖区文三路90号", "广东省深圳市南山区科技园", "北京市海淀区中关村大街1号"]


def parse(data: bytes, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse", *options],
        input=data,
        capture_output=True,
        timeout=120,
    )


def test_gbk_lines_are_read_as_chinese():
    done = parse("\n".join(LINES).encode("gbk") + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["input"] for r in rows] == LINES
    assert [r["province"] for r in rows] == ["浙江省", "广东省", "北京市"]
    assert all(r["status"] != "FOREIGN" for r in rows)


def test_gb18030_only_characters_and_mixed_lines():
    lines = ["浙江省杭州市西湖区文三路90号", "云南省昆明市五华区𠀀路1号"]
    data = lines[0].encode("utf-8") + b"\n" + lines[1].encode("gb18030") + b"\n"
    done = parse(data)
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["input"] for r in rows] == lines


def test_unknown_encoding_stops_and_names_the_option():
    done = parse("Café, Straße 1, München\n".encode("latin-1"))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "--encoding" in err and "Traceback" not in err
    assert "\ufffd" not in done.stdout.decode()
    named = parse("Café, Straße 1, München\n".encode("latin-1"), "--encoding", "latin-1")
    assert json.loads(named.stdout.decode())["input"] == "Café, Straße 1, München"


def test_bad_encoding_name_is_a_message():
    done = parse(b"x\n", "--encoding", "nonsense-8")
    assert done.returncode == 1 and b"nonsense-8" in done.stderr and b"Traceback" not in done.stderr


def _csv(path, encoding):
    frame = pd.DataFrame(
        [["C1", "杭州云栖科技", "浙江省杭州市西湖区文三路90号"], ["C2", "Café Müller", "Straße 1"]],
        columns=["编号", "客户名称", "地址"],
    )
    frame.to_csv(path, index=False, encoding=encoding)


def test_dedupe_reads_gbk_csv(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame([["C1", "杭州云栖科技", "浙江省杭州市西湖区文三路90号"]], columns=["编号", "客户名称", "地址"]).to_csv(
        src, index=False, encoding="gbk"
    )
    assert main(["dedupe", str(src), str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")
    assert out["客户名称"].tolist() == ["杭州云栖科技"]


def test_dedupe_big5_csv_stops_and_names_encoding(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame(
        [["C1", "臺灣積體電路製造股份有限公司", "臺北市信義區忠孝東路五段"]],
        columns=["編號", "客戶名稱", "地址"],
    ).to_csv(src, index=False, encoding="big5")
    assert main(["dedupe", str(src), str(tmp_path / "out.csv")]) == 1
    assert "--encoding" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()
    assert main(["dedupe", str(src), str(tmp_path / "out.csv"), "--encoding", "big5"]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")
    assert out["客戶名稱"].tolist() == ["臺灣積體電路製造股份有限公司"]


def test_dedupe_latin1_csv_stops_and_names_encoding(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame([["C2", "Café Müller", "Straße 1"]], columns=["id", "name", "address"]).to_csv(
        src, index=False, encoding="latin-1"
    )
    assert main(["dedupe", str(src), str(tmp_path / "out.csv")]) == 1
    assert "--encoding" in capsys.readouterr().err
