"""Result objects: the full result as nested dicts (`to_dict()`), and pandas tables."""
import pandas as pd


def flatten(d, prefix="", out=None):
    """Scalar fields of nested dicts as one flat dict with dotted keys ("noc.packet_latency.mean");
    lists (layers, links) are left to their own tables, None stays None (NaN in pandas)."""
    out = {} if out is None else out
    for key, value in d.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flatten(value, name + ".", out)
        elif not isinstance(value, list):
            out[name] = value
    return out


def flat_result(result):
    """A RunResult as one table row: its scalars, with only the version of its provenance (the
    resolved scenario and input files stay in to_dict())."""
    row = flatten({k: v for k, v in result.items() if k != "provenance"})
    row["provenance.version"] = (result.get("provenance") or {}).get("version")
    return row


def _part(result):
    """The part of a RunResult that ran: the accelerator's, else the NoC's."""
    return result.get("accelerator") or result.get("noc") or {}


class _Dict:
    """A result that is one nested dict: `to_dict()` and `r[key]`."""

    def __init__(self, d):
        self._d = d

    def to_dict(self):
        return self._d

    def __getitem__(self, key):
        return self._d[key]


class Result(_Dict):
    """One run. `r["accelerator"]["cycles"]`, `r.accelerator`, `r.noc`, `r.layers`, `r.links`."""

    @property
    def accelerator(self):
        return self._d.get("accelerator")

    @property
    def noc(self):
        return self._d.get("noc")

    @property
    def row(self):
        """The run as one flat dict (the scalar fields, as in results.csv)."""
        return flat_result(self._d)

    @property
    def provenance(self):
        """Version, the scenario as run (tech values included), overrides, input files + SHA-256."""
        return self._d.get("provenance")

    @property
    def layers(self):
        """One row per layer (accelerator runs; empty for the NoC alone)."""
        return pd.DataFrame(_part(self._d).get("layers", []) if self.accelerator else [])

    @property
    def links(self):
        """One row per directed link: src, dst, utilization (flits per cycle)."""
        return pd.DataFrame(_part(self._d).get("links", []))

    def __repr__(self):
        return f"<nocsim.Result {self._d.get('scenario')!r}>"


class SweepResult:
    """Every row of a sweep's results (not only the points this call ran).

    `table`: one row per point (point_index, point, axis columns, then the flat result);
    `layers` / `links`: one row per point and layer / link, with the point's axis columns;
    `results`: the Result of each point; `ran`, `skipped`, `failed`, `errors`: this call's outcome.
    """

    def __init__(self, outcome, rows):
        self.ran = outcome["ran"]
        self.skipped = outcome["skipped"]
        self.failed = outcome["failed"]
        self.errors = list(outcome["errors"])
        self.csv = outcome["csv"]
        self.jsonl = outcome["jsonl"]
        self.axis_columns = list(outcome["axis_columns"])
        self._rows = rows
        # Failed points (no result) are in `table` with their error, not in `results`.
        self.results = [Result(r["result"]) for r in rows if r["result"] is not None]

    def to_dict(self):
        return {"ran": self.ran, "skipped": self.skipped, "failed": self.failed,
                "errors": self.errors, "rows": self._rows}

    def _keys(self, row):
        keys = {"point_index": row["point_index"], "point": row["point"]}
        keys.update(row["axes"])
        return keys

    @property
    def table(self):
        rows = []
        for r in self._rows:
            extra = {k: r[k] for k in ("status", "error") if k in r}
            rows.append({**self._keys(r), **extra, **flat_result(r["result"] or {})})
        return pd.DataFrame(rows)

    def _per_item(self, what):
        items = []
        for r in self._rows:
            if r["result"] is None or (what == "layers" and not r["result"].get("accelerator")):
                continue
            part = _part(r["result"])
            items += [{**self._keys(r), **flatten(x)} for x in part.get(what, [])]
        return pd.DataFrame(items)

    @property
    def layers(self):
        return self._per_item("layers")

    @property
    def links(self):
        return self._per_item("links")

    def __len__(self):
        return len(self._rows)

    def __repr__(self):
        return f"<nocsim.SweepResult {len(self._rows)} points from {self.jsonl!r}>"


class EvalResult(_Dict):
    """A model evaluation: `accuracy`, and with a codec `codec` (a dict) and `layers` (DataFrame)."""

    @property
    def accuracy(self):
        return self._d["accuracy"]

    @property
    def codec(self):
        return self._d["codec"]

    @property
    def layers(self):
        return pd.DataFrame(self._d["codec"]["layers"] if self._d["codec"] else [])

    def __repr__(self):
        return f"<nocsim.EvalResult {self._d['model']!r}>"
