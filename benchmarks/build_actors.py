"""Rebuild data/petrarch2/actors.txt: the PETRARCH2 actors newsdesk maps to countries.

Reads ../shared/lexicons/petrarch2/ (MIT, Copyright (c) 2014 Open Event Data) and keeps:
- people of Phoenix.Countries.actors.txt who held a state post that acts between countries (GOV,
  GOVMIL or MIL code: heads of state and government, ministers, commanders) at some time since
  1980 (1995 until issue 11's ninth round; Reuters-21578 and other wire archives of the 1980s name
  Nakasone, Thatcher, the Reagan administration), with every spelling PETRARCH lists for them;
- armed non-state groups of Phoenix.MilNonState.actors.txt whose code names one country (TALIBAN_
  [AFGREB]); international ones (IMG, INT, regional codes) are left out.
A spelling that PETRARCH gives to two different countries is dropped (it cannot say which one), and
so is a one-word spelling that is a common English word or a country name.
The output keeps PETRARCH's own format (one actor per block, "+" spellings, "[CODE dates]" lines),
so it stays editable by hand and diffable against the source. Skips cleanly when ../shared is absent.
Run: uv run python benchmarks/build_actors.py
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pycountry

from benchmarks._shared import SHARED
from core.paths import data_dir

SOURCE = SHARED / "lexicons" / "petrarch2"
OUTPUT = data_dir() / "petrarch2" / "actors.txt"
AGENTS_OUTPUT = data_dir() / "petrarch2" / "agents.txt"
# Agent words that are not a state actor standing in a place ("firefighter"), or name a country.
_NOT_AGENTS = frozenset({"FIREFIGHTER", "KINGDOM", "GOVERNANCE", "POLITY", "BATTLEWAGON", "KFIR", "PHALANX"})
# Courts, legislatures, police and spies act for their state too ("the U.S. Congress", "a court in
# London"); the private legal trades (lawyer, counsel, advocate) and loose words (chamber, deputy,
# delegate, representatives, intelligence) of those Phoenix sectors are left out.
_STATE_BODIES = frozenset(
    """CONSTABLE SHERIFF JUDGE JUDICIARY JUDICATURE MAGISTRATE PROCURATORATE PROSECUTOR TRIBUNAL COURT
    CONGRESS LAWMAKER LEGISLATOR LEGISLATURE MP PARLIAMENTARIAN PARLIAMENT SENATE SENATOR SPY""".split()
)
SINCE = 1980
# Heads of state and government, ministers without a sector code, and the military: the roles that
# act between countries (sector ministers - agriculture, education ... - are left out).
_STATE_ROLES = frozenset({"GOV", "GOVMIL", "MIL", "GOVFRN"})
_CODE = re.compile(r"\[([A-Z]{3})([A-Z]*)\s*([^\]]*)\]")
# One-word spellings that are ordinary English words, team-like names ("Tigers") or first names: too
# ambiguous to stand for a country on their own.
_COMMON = frozenset(
    """KING QUEEN PRESIDENT PRIME MINISTER GENERAL COLONEL MAJOR BISHOP POPE SHAH EMIR SULTAN PRINCE
    LEE KIM PARK SMITH BROWN JONES WHITE GREEN BLACK YOUNG KING RICE POWELL BUSH CLINTON JOHNSON BOLTON
    ROSE HUNT MAY BANK BANKS GOLD STONE HILL WOOD FOX BUSH CHAD JORDAN GEORGIA LEBANON CUBA ISRAEL
    AL ABDULLAH MOHAMMED MUHAMMAD AHMED ALI HASSAN HUSSEIN HUSSAIN KHAN SINGH
    TIGERS MAVERICKS ZERO YOUTH YAHWEH FALCON CAMO BOOGEYMEN ALBERT STEPHENSON AMAL SHAHIN CONTRAS
    REICHSTAG STRATHCLYDE""".split()
)

HEADER = """# newsdesk's subset of the PETRARCH2 actor dictionaries (built by benchmarks/build_actors.py from
# Phoenix.Countries.actors.txt and Phoenix.MilNonState.actors.txt, PETRARCH2 commit
# 676801cd9cb2924bbbad09f86d15c9323e7097bf). Format as in PETRARCH: a block per actor, its first
# line the main spelling, "+" lines more spellings, "[CODE dates]" lines its codes; the first three
# letters of a code are the country (ISO 3166 alpha-3). Edit freely: add a block, or delete one.
#
# The MIT License (MIT)
#
# Copyright (c) 2014 Open Event Data Alliance
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in
# all copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
# THE SOFTWARE.
"""


def _year(stamp: str) -> int:
    digits = stamp.strip()[:8]
    if len(digits) == 8:
        return int(digits[:4])
    year = int(digits[:2])
    return 1900 + year if year >= 30 else 2000 + year


def _recent_state_post(codes: list[tuple[str, str, str]]) -> bool:
    """Did the actor hold a government or military post at some time since SINCE?"""
    for _, role, dates in codes:
        if role not in _STATE_ROLES:
            continue
        dates = dates.strip()
        if not dates or dates.startswith(">"):
            return True
        if dates.startswith("<"):
            continue
        end = dates.split("-")[-1]
        if end and _year(end) >= SINCE:
            return True
    return False


def _blocks(path: Path) -> list[tuple[list[str], list[str]]]:
    """(spelling lines, code lines) of each actor block."""
    blocks: list[tuple[list[str], list[str]]] = []
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw.startswith(("\t", " ")) and line.strip().startswith("["):
            if blocks:
                blocks[-1][1].append(line.strip())
        elif line.startswith("+"):
            if blocks:
                blocks[-1][0].append(line)
        else:
            name, _, inline = line.partition("[")
            blocks.append(([name.strip()], [f"[{inline}"] if inline else []))
    return blocks


def _spelling(line: str) -> str:
    return line.lstrip("+").strip().rstrip("_").strip()


def _keep(spelling: str, owners: dict[str, set[str]], country_words: set[str]) -> bool:
    """A spelling only one country owns; a one-word one must be a rare, non-country word."""
    if not spelling or len(owners[spelling]) != 1:
        return False
    if "_" in spelling.replace("-", "_"):
        return True
    return spelling not in _COMMON and spelling not in country_words and len(spelling) > 3


def main() -> None:
    if not SOURCE.exists():
        print(f"skipped: {SOURCE} is absent (the PETRARCH2 dictionaries live in ../shared)")
        return
    alpha3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    country_words = {
        w.upper() for c in pycountry.countries for w in (getattr(c, "common_name", None) or c.name).split()
    }
    chosen: list[tuple[list[str], list[str]]] = []
    for path, people in (
        (SOURCE / "Phoenix.Countries.actors.txt", True),
        (SOURCE / "Phoenix.MilNonState.actors.txt", False),
    ):
        for spellings, code_lines in _blocks(path):
            codes = [m.groups() for line in code_lines for m in [_CODE.search(line)] if m]
            countries = {alpha3[c] for c, _, _ in codes if c in alpha3}
            if len(countries) != 1:
                continue
            if people and not _recent_state_post(codes):
                continue
            if not people and not any(role.startswith("REB") or role == "" for _, role, _ in codes):
                continue
            chosen.append((spellings, code_lines))
    # A spelling given to two countries, or a risky one-word spelling, is dropped.
    owners: dict[str, set[str]] = defaultdict(set)
    for spellings, code_lines in chosen:
        code = next(m.group(1) for line in code_lines for m in [_CODE.search(line)] if m)
        for line in spellings:
            owners[_spelling(line)].add(alpha3.get(code, code))
    out = [HEADER]
    kept = 0
    for spellings, code_lines in chosen:
        good = [line for line in spellings if _keep(_spelling(line), owners, country_words)]
        if not good:
            continue
        first = good[0][1:] if good[0].startswith("+") else good[0]
        out.append(first)
        out.extend(line if line.startswith("+") else "+" + line for line in good[1:])
        out.extend("\t" + line for line in code_lines)
        kept += 1
    OUTPUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}: {kept} actors ({OUTPUT.stat().st_size / 1e3:.0f} kB)")
    write_agents()


def write_agents() -> None:
    """One-word government and military agents of Phoenix.agents.txt ("EMBASSY [~GOV]"): a country
    named right after one of them ("the embassy in London") takes part rather than hosts."""
    agents = ["MINISTER [~GOV]", "MINISTRY [~GOV]"]
    for raw in (SOURCE / "Phoenix.agents.txt").read_text(encoding="latin-1").splitlines():
        match = re.match(r"([A-Z]+) +\[~(GOV|MIL|JUD|LEG|COP|SPY)\]\s*$", raw)
        if match and match.group(2) in {"JUD", "LEG", "COP", "SPY"} and match.group(1) not in _STATE_BODIES:
            continue
        if match and match.group(1) not in _NOT_AGENTS:
            agents.append(f"{match.group(1)} [~{match.group(2)}]")
    agents.append("POLICE [~COP]")  # written "POLICE {} [~COP]" there
    header = HEADER.replace(
        "subset of the PETRARCH2 actor dictionaries", "subset of the PETRARCH2 agent dictionary"
    ).replace(
        "Phoenix.Countries.actors.txt and Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt (one-word government, military, court, legislature and police agents)",
    )
    header = header[: header.index("Format as in PETRARCH")] + (
        "One agent word a line with its\n# PETRARCH role code (plurals are matched too). Edit freely.\n"
        + header[header.index("#\n# The MIT") :]
    )
    AGENTS_OUTPUT.write_text(header + "\n".join(agents) + "\n", encoding="utf-8")
    print(f"wrote {AGENTS_OUTPUT}: {len(agents)} agents")


if __name__ == "__main__":
    main()
