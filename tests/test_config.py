"""load_config: the real config files load; every kind of mistake is reported, all at once."""
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.config import (RECENCY_DEFAULTS, THRESHOLD_DEFAULTS, ConfigError, exit_on_config_error,
                            load_config)

ROOT = Path(__file__).resolve().parent.parent

# A small valid file; tests break one thing at a time.
VALID = """
[county]
name = "建始县"
portal = "hbjs"
site_group_hosts = ["*.hbjs.gov.cn", "127.0.0.5:8080"]

[recency]
"动态" = 14

[[columns]]
name = "领导信息"
synonyms = ["领导之窗", "领导简介"]
role = "leaders"

[[columns]]
name = "工作动态"
synonyms = ["动态信息"]
recency = "动态"

[[columns]]
name = "工作流程"
synonyms = ["办事流程"]
role = "workflows"
required = false

[[units]]
id = "hbjs"
name = "建始网"
kind = "门户"
url = "http://www.hbjs.gov.cn/"

[[units]]
id = "yezhouzhen"
name = "业州镇"
kind = "乡镇"
"""


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """The problems load_config reports, without their "<file>: " prefix."""
    path = written(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    prefix = f"{path}: "
    assert all(line.startswith(prefix) for line in caught.value.problems)
    return [line[len(prefix):] for line in caught.value.problems]


def load_text(tmp_path: Path, text: str):
    return load_config(written(tmp_path, text))


@pytest.mark.parametrize("name", ["sites.toml", "sandbox.toml"])
def test_the_project_configs_load_cleanly(name):
    path = ROOT / "config" / name
    if not path.exists():
        pytest.skip(f"config/{name} has not landed yet")
    config = load_config(path)
    assert config.units and config.columns
    assert config.portal in {u.id for u in config.units}


def test_the_real_county_config():
    config = load_config(ROOT / "config" / "sites.toml")
    names = {u.name for u in config.units}
    townships = {"业州镇", "高坪镇", "红岩寺镇", "景阳镇", "官店镇", "花坪乡", "长梁乡", "茅田乡", "龙坪乡", "三里乡"}
    assert townships <= names
    assert {u.name for u in config.units if u.kind == "乡镇"} == townships
    assert config.unit("畜牧兽医局").id == "xumushouyiju"
    assert config.unit("xingzhengfuwuzhongxin").name == "行政服务中心"
    assert config.unit("hbjs").kind == "门户"
    assert config.column("领导信息").role == "leaders"
    assert config.max_age_days(config.column("工作动态")) == 14
    assert not config.column("应急管理").required


def test_seed_bulletin_departments_are_all_units():
    seed = Path("/work/shared/seed/000_cbb36198d1a0bdb6.txt")
    if not seed.exists():
        pytest.skip("seed bulletin not available")
    config = load_config(ROOT / "config" / "sites.toml")
    text = seed.read_text(encoding="utf-8")
    for unit in config.units:
        if unit.kind != "门户":   # the bulletin also writes "交通、民政" for 交通局, 民政局
            assert unit.name in text or f"{unit.name.removesuffix('局')}、" in text, unit.name


def test_defaults_are_filled(tmp_path):
    config = load_text(tmp_path, VALID)
    assert config.thresholds == THRESHOLD_DEFAULTS
    assert config.recency == RECENCY_DEFAULTS
    assert config.mailbox_names and "信箱" in config.mailbox_names
    assert config.column("工作动态").names == ("工作动态", "动态信息")
    assert config.column("领导信息").recency == "static"


def test_overrides(tmp_path):
    config = load_text(tmp_path, VALID + """
[units.overrides]
thresholds = { site_stale_days = 120 }
disclosure_url = "http://127.0.0.9:8001/xxgk/"
column_urls = { "领导信息" = "http://127.0.0.9:8001/ld/" }
selectors = { leaders = "div.ld > li" }
""")
    unit = config.unit("业州镇")
    assert config.thresholds_for(unit)["site_stale_days"] == 120
    assert config.thresholds_for(config.unit("hbjs"))["site_stale_days"] == 90
    assert config.site_group_hosts == ("*.hbjs.gov.cn", "127.0.0.5:8080")


def test_syntax_error_names_line_and_column(tmp_path):
    problems = problems_of(tmp_path, VALID + "\n[thresholds\n")
    assert len(problems) == 1
    assert problems[0].startswith(f"line {VALID.count(chr(10)) + 2}, column ")
    assert "TOML syntax" in problems[0]


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "absent.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes(VALID.encode("gbk"))
    with pytest.raises(ConfigError, match="is not UTF-8"):
        load_config(path)


def test_every_problem_is_reported_at_once(tmp_path):
    text = (VALID.replace('kind = "乡镇"', 'kind = "村"')
            .replace('url = "http://www.hbjs.gov.cn/"', 'url = "htp:/x"')
            .replace('role = "workflows"', 'role = "leaders"'))
    problems = problems_of(tmp_path, text + "\n[thresholds]\nsite_stale_days = -3\n")
    assert "units[1].kind: '村' is not one of 乡镇 / 县直部门 / 门户" in problems
    assert "units[0].url: 'htp:/x' is not an http(s) URL" in problems
    assert "columns[2].role: 'leaders' is already the role of columns[0]" in problems
    assert "thresholds.site_stale_days: -3 is out of range (must be >= 1)" in problems
    assert len(problems) == 4


def test_unknown_keys_suggest_the_close_one(tmp_path):
    text = VALID.replace("synonyms = [\"动态信息\"]", "synonym = [\"动态信息\"]")
    problems = problems_of(tmp_path, text + "\n[thresholds]\nsite_stale_day = 30\n[extra]\nx = 1\n")
    assert "columns[1].synonym: unknown key (did you mean 'synonyms'?)" in problems
    assert "thresholds.site_stale_day: unknown key (did you mean 'site_stale_days'?)" in problems
    assert "extra: unknown key" in problems


def test_missing_required_keys(tmp_path):
    text = VALID.replace('name = "业州镇"\n', "").replace('name = "建始县"\n', "")
    problems = problems_of(tmp_path, text)
    assert sorted(problems) == ["county.name: missing", "units[1].name: missing"]
    assert problems_of(tmp_path, "") == ["county: missing", "columns: missing", "units: missing"]


def test_wrong_types(tmp_path):
    text = (VALID.replace('synonyms = ["动态信息"]', 'synonyms = "动态信息"')
            .replace("required = false", 'required = "no"')
            .replace('"动态" = 14', '"动态" = "two weeks"'))
    problems = problems_of(tmp_path, text + "\n[thresholds]\nphoto_min_width = 150.5\ncoverage_min_columns = true\n")
    assert "columns[1].synonyms: '动态信息' is not a list of non-empty strings" in problems
    assert "columns[2].required: 'no' is not true or false" in problems
    assert "recency.动态: 'two weeks' is not a number of days (an integer >= 0)" in problems
    assert "thresholds.photo_min_width: 150.5 is not an integer" in problems
    assert "thresholds.coverage_min_columns: True is not an integer" in problems


def test_duplicate_units_and_bad_ids(tmp_path):
    text = VALID + '\n[[units]]\nid = "yezhouzhen"\nname = "业州镇"\nkind = "乡镇"\n' \
                   '\n[[units]]\nid = "Ye Zhou"\nname = "业州"\nkind = "乡镇"\n'
    problems = problems_of(tmp_path, text)
    assert "units[2].id: 'yezhouzhen' is also the id of units[1]" in problems
    assert "units[2].name: '业州镇' is also the name of units[1]" in problems
    assert "units[3].id: 'Ye Zhou' may only hold a-z, 0-9, _ and -" in problems


@pytest.mark.parametrize("url", ["htp:/x", "http://", "ftp://www.hbjs.gov.cn/", "http://a b.cn/", "http://x.cn:99999/",
                                 "http://user:pw@www.hbjs.gov.cn/", "http://admin@www.hbjs.gov.cn/",
                                 "http://0x7f.1/", "http://2130706433/", "http://127.1/", "http://0177.0.0.1/"])
def test_malformed_urls(tmp_path, url):
    problems = problems_of(tmp_path, VALID.replace("http://www.hbjs.gov.cn/", url))
    assert len(problems) == 1 and problems[0].startswith("units[0].url: ")


def test_thresholds_out_of_range(tmp_path):
    problems = problems_of(tmp_path, VALID + """
[thresholds]
mailbox_backlog_days = 0
photo_min_height = 0
photo_min_sharpness = -1.5
placeholder_max_distance = 65
coverage_min_columns = 4
""")
    assert sorted(problems) == [
        "thresholds.coverage_min_columns: 4 is out of range (must be between 1 and 3)",
        "thresholds.mailbox_backlog_days: 0 is out of range (must be >= 1)",
        "thresholds.photo_min_height: 0 is out of range (must be >= 1)",
        "thresholds.photo_min_sharpness: -1.5 is out of range (must be >= 0)",
        "thresholds.placeholder_max_distance: 65 is out of range (must be between 0 and 64)",
    ]


def test_recency_class_must_be_defined(tmp_path):
    problems = problems_of(tmp_path, VALID.replace('recency = "动态"', 'recency = "动太"'))
    assert problems == ["columns[1].recency: '动太' is not a class of [recency] (did you mean '动态'?)"]
    problems = problems_of(tmp_path, VALID.replace('"动态" = 14', '"动态" = -14'))
    assert problems == ["recency.动态: -14 is not a number of days (an integer >= 0)"]


def test_synonym_claimed_twice(tmp_path):
    text = VALID.replace('synonyms = ["动态信息"]', 'synonyms = ["领导之窗", "工作流程"]')
    problems = problems_of(tmp_path, text)
    assert problems == [
        "columns[1].synonyms[0]: '领导之窗' is already claimed by columns[0]",
        "columns[2].name: '工作流程' is already claimed by columns[1]",
    ]


def test_synonyms_are_compared_as_the_spider_compares_menu_names(tmp_path):
    padded = "领导\u3000之窗 "       # a full-width space inside, a space after
    text = VALID.replace('synonyms = ["动态信息"]', f'synonyms = ["{padded}"]')
    assert problems_of(tmp_path, text) == [f"columns[1].synonyms[0]: {padded!r} is already claimed by columns[0]"]


def test_roles(tmp_path):
    problems = problems_of(tmp_path, VALID.replace('role = "workflows"', 'role = "workflow"'))
    assert problems == ["columns[2].role: 'workflow' is not one of leaders, workflows, personnel, mailbox "
                        "(did you mean 'workflows'?)"]


def test_the_mailbox_column_is_said_or_named(tmp_path):
    said = VALID + '\n[[columns]]\nname = "互动交流"\nrole = "mailbox"\n[[columns]]\nname = "书记信箱"\n'
    config = load_text(tmp_path, said)
    assert [c.name for c in config.columns if c.role == "mailbox"] == ["互动交流"]   # one mailbox: the said one
    named = load_text(tmp_path, VALID + '\n[[columns]]\nname = "信箱"\nsynonyms = ["局长信箱"]\n')
    assert named.column("信箱").role == "mailbox"
    twice = VALID + '\n[[columns]]\nname = "信箱"\nrole = "mailbox"\n[[columns]]\nname = "留言"\nrole = "mailbox"\n'
    assert problems_of(tmp_path, twice)[0].endswith("'mailbox' is already the role of columns[3]")


def test_portal_must_be_a_unit_with_a_url(tmp_path):
    assert problems_of(tmp_path, VALID.replace('portal = "hbjs"', 'portal = "hbj"')) == [
        "county.portal: 'hbj' is not the id of a unit (did you mean 'hbjs'?)"]
    problems = problems_of(tmp_path, VALID.replace('url = "http://www.hbjs.gov.cn/"\n', ""))
    assert len(problems) == 1 and problems[0].startswith("county.portal: must name a unit with a url")


def test_site_group_hosts(tmp_path):
    problems = problems_of(tmp_path, VALID.replace('"127.0.0.5:8080"', '"http://www.hbjs.gov.cn/"'))
    assert problems == ["county.site_group_hosts[1]: 'http://www.hbjs.gov.cn/' is not a host, "
                        "'*.'+host, or either with ':port'"]


def test_overrides_with_unknown_or_bad_keys(tmp_path):
    problems = problems_of(tmp_path, VALID + """
[units.overrides]
threshold = { site_stale_days = 120 }
disclosure_url = "xxgk/"
column_urls = { "领导之窗" = "http://x.cn/" }
selectors = { leader = "div", list = "div[" }
""")
    assert sorted(problems) == [
        "units[1].overrides.column_urls.领导之窗: not a reference column (did you mean '领导信息'?)",
        "units[1].overrides.disclosure_url: 'xxgk/' is not an http(s) URL",
        "units[1].overrides.selectors.leader: unknown selector (one of menu, list, leaders, workflows, "
        "letters) (did you mean 'leaders'?)",
        "units[1].overrides.selectors.list: 'div[' is not a CSS selector",
        "units[1].overrides.threshold: unknown key (did you mean 'thresholds'?)",
    ]
    problems = problems_of(tmp_path, VALID + "\n[units.overrides.thresholds]\nsite_stale_days = 0\n")
    assert problems == ["units[1].overrides.thresholds.site_stale_days: 0 is out of range (must be >= 1)"]


def test_exit_on_config_error_prints_problems_and_exits_2(tmp_path, capsys):
    path = written(tmp_path, VALID.replace('kind = "乡镇"', 'kind = "村"'))
    with pytest.raises(SystemExit) as caught:
        exit_on_config_error(path)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err == f"{path}: units[1].kind: '村' is not one of 乡镇 / 县直部门 / 门户\n"
    assert "Traceback" not in err
    assert exit_on_config_error(ROOT / "config" / "sites.toml").county == "建始县"


def test_a_bad_config_stops_the_crawl_command_with_its_problems(tmp_path):
    """The real `scrapy crawl disclosure`, as CONTRACT.md runs it: status 2, one line a problem."""
    path = written(tmp_path, VALID.replace('kind = "乡镇"', 'kind = "村"'))
    out = tmp_path / "runs"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_CONFIG={path}",
         "-s", f"DISCLOSURE_OUT={out}", "-s", "LOG_LEVEL=ERROR"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"{path}: units[1].kind: '村' is not one of 乡镇 / 县直部门 / 门户" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr


def test_every_disclosure_number_or_switch_is_checked(capsys):
    from scrapy.settings import Settings

    from crawler import settings as project_defaults
    from crawler.config import check_settings
    checked = [name for name, value in vars(project_defaults).items()
               if name.startswith("DISCLOSURE_") and isinstance(value, (bool, int, float))]
    assert {"DISCLOSURE_KEEP_RUNS", "DISCLOSURE_ALERT_ERROR_RATE", "DISCLOSURE_WORKER_UNITS"} <= set(checked)
    for name in checked:
        settings = Settings({k: v for k, v in vars(project_defaults).items() if k.isupper()})
        settings.set(name, "abc", priority="cmdline")
        with pytest.raises(SystemExit) as exited:
            check_settings(settings)
        assert exited.value.code == 2
        assert capsys.readouterr().err.strip().splitlines() == [f"{name}: 'abc' is not "
                                                                f"{'a switch (1/0, true/false)' if isinstance(getattr(project_defaults, name), bool) else 'a number'}, "
                                                                f"e.g. {getattr(project_defaults, name)!r}"]


@pytest.mark.parametrize("command", [["-m", "scrapy", "audit", "runs/none"], ["-m", "crawler.distributed", "finish", "--redis", "redis://127.0.0.1:1/0",
                                                                              "--run-id", "x"]])
def test_commands_refuse_a_malformed_setting_in_one_line(command):
    done = subprocess.run([sys.executable, *command, "-s", "DISCLOSURE_KEEP_RUNS=abc"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "DISCLOSURE_KEEP_RUNS: 'abc' is not a number, e.g. 30"
    assert "Traceback" not in done.stderr


def test_usual_ip_addresses_and_hosts_are_fine(tmp_path):
    for url in ("http://10.1.2.3:8080/xxgk/", "http://127.0.0.1:8311/", "http://www.123.gov.cn/"):
        assert load_text(tmp_path, VALID.replace("http://www.hbjs.gov.cn/", url, 1)).units[0].url == url


def test_control_characters_in_names_are_refused(tmp_path):
    problems = problems_of(tmp_path, VALID.replace('name = "业州镇"', 'name = "业州\\n镇"'))
    assert problems == ["units[1].name: '业州\\n镇' holds a control character (a line break, tab …)"]


def test_out_folder_that_cannot_hold_runs_stops_the_crawl_with_one_line(tmp_path):
    occupied = tmp_path / "runs"
    occupied.write_text("not a folder", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_OUT={occupied}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"DISCLOSURE_OUT: '{occupied}' cannot hold run folders (it is a file)"
