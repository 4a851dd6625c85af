"""The benchmark's formats and its independent checker: our validator and check.py agree."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from gendan.engines.container import plan_container, validate_plan
from gendan.engines.container.cli import main, parse_range
from gendan.engines.container.model import Placement, Plan
from gendan.engines.container.thpack import parse_thpack, plan_to_json

REPO = Path(__file__).resolve().parents[5]
BENCH = REPO / ".." / "shared" / "benchmarks" / "container"

SAMPLE = """2
 1 2502505
 587 233 220
 3
 1 108 0 76 0 30 1 40
 2 110 0 43 1 25 1 33
 3 92 1 81 1 55 1 39
 2 77
 100 60 50
 2
 1 30 1 20 1 10 1 12
 2 25 0 25 0 20 1 9
"""


@pytest.fixture(scope="module")
def checker():
    path = BENCH / "check.py"
    if not path.exists():
        pytest.skip(f"the benchmark's check.py is not at {path.resolve()} (shared folder absent)")
    spec = importlib.util.spec_from_file_location("bench_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_parse_range():
    assert parse_range("1-3,7") == [1, 2, 3, 7]


def test_thpack_is_read_with_its_orientation_flags():
    problems = parse_thpack(SAMPLE)
    assert [p.number for p in problems] == [1, 2]
    first = problems[0].cartons[0]
    assert (first.dims, first.vertical, first.quantity) == ((108, 76, 30), (False, False, True), 40)
    assert problems[1].container.volume == 100 * 60 * 50


def _variants(plan: Plan) -> list[Plan]:
    """The plan and broken copies of it: a carton lifted, pushed into another, turned on a
    forbidden face, pushed out of the container."""
    pl = plan.placements
    out = [plan]
    top = max(range(len(pl)), key=lambda i: pl[i].z)
    lifted = list(pl)
    p = lifted[top]
    lifted[top] = Placement(p.carton, p.x, p.y, p.z + 1, p.dx, p.dy, p.dz, p.block)
    if p.z + 1 + p.dz <= plan.container.height:
        out.append(Plan(plan.container, plan.cartons, lifted))
    if len(pl) > 1:
        pushed = list(pl)
        q = pl[1]
        pushed[1] = Placement(q.carton, pl[0].x, pl[0].y, pl[0].z, q.dx, q.dy, q.dz, q.block)
        out.append(Plan(plan.container, plan.cartons, pushed))
    outside = list(pl)
    outside[0] = Placement(
        pl[0].carton,
        plan.container.length - pl[0].dx + 1,
        pl[0].y,
        pl[0].z,
        pl[0].dx,
        pl[0].dy,
        pl[0].dz,
        pl[0].block,
    )
    out.append(Plan(plan.container, plan.cartons, outside))
    turned = list(pl)
    ct = plan.cartons[pl[0].carton]
    if not all(ct.vertical):
        v = ct.vertical.index(False)
        d = ct.dims
        a, b = (d[k] for k in range(3) if k != v)
        turned[0] = Placement(pl[0].carton, pl[0].x, pl[0].y, pl[0].z, a, b, d[v], 0)
        out.append(Plan(plan.container, plan.cartons, turned))
    return out


def test_our_validator_and_check_py_agree(checker):
    problems = parse_thpack(SAMPLE)
    data = BENCH / "data" / "BR7.txt"
    problems += parse_thpack(data.read_text(encoding="ascii"))[:2]
    verdicts = []
    for prob in problems:
        plan = plan_container(prob.container, prob.cartons, max_nodes=15, time_limit=None)
        theirs = checker.parse_thpack(_to_thpack(prob), "sample")[prob.number]
        for variant in _variants(plan):
            ours = validate_plan(variant, support=True) == []
            ours_plain = validate_plan(variant, support=False) == []
            doc = json.loads(json.dumps(plan_to_json(prob, variant)))
            full = checker.check_plan(theirs, doc, support=1.0)
            plain = checker.check_plan(theirs, doc, support=None)
            assert ours == full["valid"], full["errors"]
            assert ours_plain == plain["valid"], plain["errors"]
            if full["valid"]:
                assert abs(full["utilization"] - variant.utilisation * 100) < 1e-9
            verdicts.append(ours)
    assert True in verdicts and False in verdicts


def _to_thpack(prob) -> str:
    c = prob.container
    lines = ["1", f"{prob.number} 0", f"{c.length} {c.width} {c.height}", str(len(prob.cartons))]
    for tid, ct in zip(prob.type_ids, prob.cartons, strict=True):
        f = [int(v) for v in ct.vertical]
        lines.append(f"{tid} {ct.length} {f[0]} {ct.width} {f[1]} {ct.height} {f[2]} {ct.quantity}")
    return "\n".join(lines) + "\n"


def test_cli_writes_plans_check_py_accepts(tmp_path, checker, capsys):
    src = tmp_path / "sample.txt"
    src.write_text(SAMPLE, encoding="ascii")
    out = tmp_path / "plans.json"
    assert (
        main(["--br", str(src), "--problems", "1-2", "--time-limit", "0.3", "--out", str(out)]) == 0
    )
    assert "problem 2" in capsys.readouterr().out
    plans = json.loads(out.read_text())["plans"]
    assert [p["problem"] for p in plans] == [1, 2]
    theirs = checker.parse_thpack(SAMPLE, "sample")
    for doc in plans:
        result = checker.check_plan(theirs[doc["problem"]], doc, support=1.0)
        assert result["valid"], result["errors"]
        assert result["utilization"] > 50


def test_cli_refuses_unknown_problems(tmp_path):
    src = tmp_path / "sample.txt"
    src.write_text(SAMPLE, encoding="ascii")
    assert main(["--br", str(src), "--problems", "5", "--out", str(tmp_path / "p.json")]) == 2


def _run(tmp_path, text: str | bytes, *extra: str) -> int:
    src = tmp_path / "bad.txt"
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text, encoding="ascii")
    return main(["--br", str(src), "--out", str(tmp_path / "p.json"), *extra])


@pytest.mark.parametrize(
    ("text", "problems", "says"),
    [
        ("", "1", "bad.txt: the file is empty"),
        ("   \n\n", "1", "bad.txt: the file is empty"),
        (
            SAMPLE[: SAMPLE.index(" 2 110")],
            "1",
            "line 6: the file ends where problem 1: a box line",
        ),
        (
            SAMPLE.replace(" 2 110 0 43 1 25 1 33", " 2 110 0 43"),
            "1",
            "line 6: problem 1: a box line",
        ),
        (SAMPLE.replace("587 233 220", "587 x 220"), "1", "line 3: problem 1: the container's"),
        (
            SAMPLE.replace("587 233 220", "587 0 220"),
            "1",
            "line 3: problem 1: container dimensions",
        ),
        ("two\n", "1", "line 1: the number of problems: expected whole numbers"),
        (
            SAMPLE.replace("3 92 1 81 1 55 1 39", "3 92 1 81 1 55 2 39"),
            "1",
            "line 7: problem 1, box 3: flags",
        ),
        (b"1\n\xff\n", "1", "not a text file"),
    ],
)
def test_a_malformed_file_is_one_line_naming_file_and_line_and_exit_2(
    tmp_path, capsys, text, problems, says
):
    assert _run(tmp_path, text, "--problems", problems) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"plan-container: {tmp_path / 'bad.txt'}: ")
    assert says in err
    assert not (tmp_path / "p.json").exists()


def test_a_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["--br", str(tmp_path / "none.txt"), "--out", str(tmp_path / "p.json")]) == 2
    assert capsys.readouterr().err == f"plan-container: {tmp_path / 'none.txt'}: no such file\n"


def test_a_carton_larger_than_the_container_is_warned_about(tmp_path, capsys):
    text = "1\n 1 0\n 100 60 50\n 2\n 1 30 1 20 1 10 1 2\n 2 120 1 70 1 55 1 3\n"
    assert _run(tmp_path, text, "--problems", "1", "--time-limit", "0.2", "--quiet") == 0
    err = capsys.readouterr().err
    assert err == (
        f"plan-container: warning: {tmp_path / 'bad.txt'}: problem 1, box 2 (120x70x55, "
        "3 cartons) fits the container (100x60x50) in no allowed orientation; it is left out\n"
    )
    plans = json.loads((tmp_path / "p.json").read_text())["plans"]
    assert {p["type"] for p in plans[0]["placements"]} == {1}


def test_a_carton_that_fits_only_lying_down_but_must_stand_is_warned_about(tmp_path, capsys):
    # 70 tall does not fit the 50 high container; lying down it would, but only height may stand
    text = "1\n 1 0\n 100 60 50\n 1\n 1 40 0 40 0 70 1 1\n"
    assert _run(tmp_path, text, "--problems", "1", "--time-limit", "0.2", "--quiet") == 0
    assert "box 1 (40x40x70, 1 cartons)" in capsys.readouterr().err


def test_a_bad_problem_range_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        _run(tmp_path, SAMPLE, "--problems", "one")
    assert stop.value.code == 2
    assert "not a list of problem numbers: 'one'" in capsys.readouterr().err
