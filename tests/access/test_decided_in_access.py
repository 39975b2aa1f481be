"""Views and templates ask who may do what; they never decide it themselves.

Every "who may" lives in an app's ``access.py`` (and every "may this thing still be changed" in a
model or selector method): see docs/access.md. This scan fails when a view, a page-building module,
a template tag or a template looks at a role, at superuser or administrator flags, or compares a
status itself. Each entry of the allow-lists says why it decides nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "stepchange"

# The modules that build pages: every views module, and those that views hand their work to; the
# forms too, whose choices say whom a page offers.
PAGE_MODULES = sorted(
    {
        *ROOT.glob("*/views*.py"),
        *ROOT.glob("*/views/*.py"),
        *ROOT.glob("*/forms.py"),
        *ROOT.glob("*/forms/*.py"),
        *ROOT.glob("*/templatetags/*.py"),
        ROOT / "manage" / "index.py",
        ROOT / "core" / "pages.py",
        ROOT / "core" / "context_processors.py",
    }
)
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# A person's flags, which only access functions read.
PERSON_FLAGS = {"role", "is_superuser", "is_staff", "is_organisation_admin"}
# The facts about a person in core/access.py that access functions build their rules from.
PERSON_FACTS = {
    "is_superuser",
    "has_role",
    "is_regional_commissioner",
    "is_national_admin",
    "is_signed_in",
    "own_commissioner",
    "own_organisation_id",
}
STATUS_OPS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)

# (module relative to stepchange/, the offending source text) -> why it decides nothing.
PYTHON_ALLOWED: dict[tuple[str, str], str] = {
    ("accounts/forms.py", "Role"): (
        "labels the role choices; which roles a person may give is accounts.access.staff_roles_grantable_by, "
        "which the view passes in and the service checks"
    ),
    (
        "consortia/views.py",
        "membership.role",
    ): "a consortium member's role, in words, on the leaving page: not a person's role",
}

# Every module but the access modules, for a person's role and flags (a service or model may
# compare a status: "may this thing still be changed" is theirs). Left out: the migrations, the
# demo (it builds the cast, each with their role) and the user model, which defines the role.
ALL_MODULES = sorted(
    path
    for path in ROOT.rglob("*.py")
    if path.name != "access.py"
    and "migrations" not in path.parts
    and path.relative_to(ROOT).parts[0] != "demo"
    and path.relative_to(ROOT) != Path("accounts/models.py")
)
# (module relative to stepchange/, the text) -> why it decides nothing, beyond PYTHON_ALLOWED.
PERSON_ALLOWED: dict[tuple[str, str], str] = {
    (module, text): "a partnership's or consortium's member's role, in words: not a person's role"
    for module, text in [
        ("commissioning/notices.py", "member.role"),
        ("commissioning/organisation_profile.py", "m.role"),
        ("consortia/organisation_profile.py", "m.role"),
        ("commissioning/ocds.py", "member.role"),
        ("commissioning/selectors.py", "m.role"),
        ("commissioning/services/evaluation.py", "member.role"),
        ("commissioning/services/partnerships.py", "m.role"),
        ("commissioning/todo.py", "member.role"),
    ]
} | {
    ("accounts/services.py", "Role"): (
        "the role a new account is given (a region's first regional commissioner, someone registering "
        "their organisation); who may invite or register is accounts.access's and organisations.access's"
    ),
    ("organisations/directory.py", "claimant.is_organisation_admin"): (
        "makes an approved claimant their organisation's administrator; who may decide a claim is "
        "organisations.access.claims_decidable_by"
    ),
}

# (template relative to templates/, the offending text) -> why it decides nothing.
TEMPLATE_ALLOWED: dict[tuple[str, str], str] = {
    ("manage/users.html", "account.is_organisation_admin"): "shows the Administrator tag beside a name",
    ("accounts/_people_table.html", "account.is_organisation_admin"): "shows the Administrator tag beside a name",
    ("accounts/_status_tag.html", "status =="): "picks the colour of the tag for the status it shows",
}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_status(node: ast.AST) -> bool:
    """``status``, ``x.status`` or ``x.status(now)`` (and the same of ``state``)."""
    if isinstance(node, ast.Call):
        node = node.func
    return _name(node) in {"status", "state"}


def python_findings(source: str, *, statuses: bool = True) -> list[str]:
    """The role, flag and status decisions in one module's source, as source text (without the
    status comparisons when ``statuses`` is false)."""
    found: list[str] = []
    tree = ast.parse(source)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PERSON_FLAGS and id(node) not in called:
            found.append(ast.get_source_segment(source, node) or node.attr)
        elif isinstance(node, ast.Name) and node.id == "Role":
            found.append("Role")
        elif isinstance(node, ast.Call) and _name(node.func) in PERSON_FACTS:
            found.append(ast.get_source_segment(source, node.func) or "")
        elif statuses and isinstance(node, ast.Compare) and any(isinstance(op, STATUS_OPS) for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(_is_status(side) for side in sides):
                found.append(ast.get_source_segment(source, node) or "status")
    return found


# An {% if %} or {% elif %} tag, and within one, a person's flag or a status compared.
IF_TAG = re.compile(r"{%-?\s*(?:el)?if\b(.*?)-?%}", re.S)
FLAG = re.compile(r"[\w.]*\.(?:role|is_superuser|is_staff|is_organisation_admin)\b")
STATUS_COMPARED = re.compile(r"[\w.]*\bstatus\s*(?:==|!=|\bin\b|\bnot in\b)|(?:==|!=)\s*[\w.]*\.status\b")


def template_findings(text: str) -> list[str]:
    found: list[str] = []
    for condition in IF_TAG.findall(text):
        found += FLAG.findall(condition)
        found += [m.group(0).strip() for m in STATUS_COMPARED.finditer(condition)]
    return found


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scanners see each kind of decision (so a clean result means something)."""
    assert python_findings("if request.user.role == Role.PROVIDER: pass") == ["request.user.role", "Role"]
    assert python_findings("ok = access.is_superuser(user)") == ["access.is_superuser"]
    assert python_findings("ok = r.status in {Status.NIL}") == ["r.status in {Status.NIL}"]
    assert python_findings("ok = status == Status.APPROVED") == ["status == Status.APPROVED"]
    assert python_findings('ok = o.status(now) == "open"') == ['o.status(now) == "open"']
    assert python_findings("ok = may_change_return(user, r)") == []
    assert python_findings("ok = r.status in {Status.NIL} or u.is_superuser", statuses=False) == ["u.is_superuser"]
    assert template_findings("{% if user.is_superuser %}x{% endif %}") == ["user.is_superuser"]
    assert template_findings('{% elif status == "Invited" %}') == ["status =="]
    assert template_findings("{% if may_resend %}{{ account.role }}{% endif %}") == []


def test_views_ask_access_and_never_decide_on_a_role() -> None:
    assert PAGE_MODULES, "no page modules found"
    offending = []
    for path in PAGE_MODULES:
        rel = str(path.relative_to(ROOT))
        for text in python_findings(path.read_text()):
            if (rel, text) not in PYTHON_ALLOWED:
                offending.append(f"{rel}: {text}")
    assert not offending, "decide these in the app's access.py (or a model method) and ask it: " + "; ".join(offending)


def test_no_module_but_access_decides_on_a_persons_role_or_flags() -> None:
    """Services, selectors, the dashboard, sign-in: a rule about who someone is lives in access.py."""
    assert ALL_MODULES, "no modules found"
    offending = []
    for path in ALL_MODULES:
        rel = str(path.relative_to(ROOT))
        for text in python_findings(path.read_text(), statuses=False):
            if (rel, text) not in PYTHON_ALLOWED and (rel, text) not in PERSON_ALLOWED:
                offending.append(f"{rel}: {text}")
    assert not offending, "name this rule in the app's access.py and ask it: " + "; ".join(offending)


def test_templates_ask_access_and_never_decide_on_a_role() -> None:
    assert TEMPLATES, "no templates found"
    offending = []
    for path in TEMPLATES:
        rel = str(path.relative_to(ROOT / "templates"))
        for text in template_findings(path.read_text()):
            if (rel, text) not in TEMPLATE_ALLOWED:
                offending.append(f"{rel}: {text}")
    assert not offending, "pass the access function's answer in the context instead: " + "; ".join(offending)


def test_every_allowance_is_still_needed() -> None:
    """An allow-list entry whose text is gone is removed, so the list stays short and true."""
    stale = [key for key in PYTHON_ALLOWED if key[1] not in python_findings((ROOT / key[0]).read_text())]
    stale += [
        key for key in PERSON_ALLOWED if key[1] not in python_findings((ROOT / key[0]).read_text(), statuses=False)
    ]
    stale += [
        key for key in TEMPLATE_ALLOWED if key[1] not in template_findings((ROOT / "templates" / key[0]).read_text())
    ]
    assert not stale, stale
