"""Prepare: the customer table → one comparable spelling per field (first verb of the pipeline).

Each distinct cell is prepared once (a million-row column has far fewer distinct values),
and the results are laid out as numpy object arrays so the later stages index them by
row position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..gazetteer import default_gazetteer
from ..workers import WorkerPool, available_cores
from .addresses import PreparedAddress, prepare_addresses
from .extras import detect_kind, prepare_value
from .model import ColumnRole
from .names import NameKind, prepare_name
from .normalize import basic_text, map_distinct, strip_punct
from .phones import prepare_phones

__all__ = ["PreparedTable", "prepare", "prepare_credit_code", "prepare_email"]

_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def prepare_email(value: object) -> str:
    """Lower case, trimmed; '' when the cell holds no e-mail address.

    Examples
    --------
    >>> prepare_email(" Sales@Example.COM ")
    'sales@example.com'
    """
    text = basic_text(value).replace(" ", "")
    return text if "@" in text else ""


def prepare_credit_code(value: object) -> str:
    """A 统一社会信用代码 in canonical form (18 characters, upper case); '' if malformed.

    Examples
    --------
    >>> prepare_credit_code("91330106 MA27XL1X2B")
    '91330106MA27XL1X2B'
    >>> prepare_credit_code("123")
    ''
    """
    text = strip_punct(basic_text(value)).upper()
    return text if _CREDIT_CODE.match(text) else ""


LARGE_LIST = 50_000  # rows from which a list is prepared in worker processes (jobs ≠ 1)
_PIECE = 5_000  # distinct cells per worker task


def _names_piece(values: list) -> list:
    return [prepare_name(v) for v in values]


def _phones_piece(values: list) -> list:
    return [prepare_phones(v) for v in values]


def _pooled_distinct(values: list, func: Callable, piece: Callable, pool) -> list:
    """``map_distinct(values, func)``, the distinct cells prepared by ``pool`` in pieces
    (``piece`` applies ``func`` to a list; both module-level so workers find them)."""
    if pool is None:
        return map_distinct(values, func)
    keys = [v if isinstance(v, str | int) else repr(v) for v in values]
    first = dict(zip(keys, values, strict=True))  # key → one of its cells
    distinct = list(first.values())
    chunks = (distinct[i : i + _PIECE] for i in range(0, len(distinct), _PIECE))
    done = [r for results in pool.map(piece, chunks) for r in results]
    found = dict(zip(first, done, strict=True))
    return [found[k] for k in keys]


def _object_array(items: list) -> np.ndarray:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


@dataclass(frozen=True, slots=True)
class PreparedTable:
    """Every compared field of every record, as arrays indexed by row position.

    Arrays of a role that is absent from the table are ``None``.
    """

    size: int
    name_core: np.ndarray | None = None
    name_branch: np.ndarray | None = None
    name_kind: np.ndarray | None = None
    name_form: np.ndarray | None = None
    phones: np.ndarray | None = None
    address: np.ndarray | None = None
    email: np.ndarray | None = None
    credit_code: np.ndarray | None = None
    others: dict[str, np.ndarray] = field(default_factory=dict)
    #: Kind of each other column (:class:`~addrkit.dedupe.extras.ValueKind` value).
    other_kinds: dict[str, str] = field(default_factory=dict)
    # Derived arrays (see :meth:`column` and :meth:`codes`), built once per table: every
    # comparison and key of a run reads them, and a million-row Python pass is seconds.
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def take(self, rows: np.ndarray) -> PreparedTable:
        """The records at ``rows``, in that order."""

        def pick(array):
            return None if array is None else array[rows]

        return PreparedTable(
            size=len(rows),
            name_core=pick(self.name_core),
            name_branch=pick(self.name_branch),
            name_kind=pick(self.name_kind),
            name_form=pick(self.name_form),
            phones=pick(self.phones),
            address=pick(self.address),
            email=pick(self.email),
            credit_code=pick(self.credit_code),
            others={k: v[rows] for k, v in self.others.items()},
            other_kinds=dict(self.other_kinds),
        )

    def signatures(self) -> np.ndarray:
        """One text per record of everything compared; '' for a record with nothing in it.

        Records with equal signatures are the same entry typed again, whatever the spelling.
        """
        columns = [self.name_core, self.name_branch, self.name_form, self.email, self.credit_code]
        columns = [c for c in columns if c is not None] + list(self.others.values())
        if self.phones is not None:
            columns.append(np.asarray(["|".join(p) for p in self.phones], object))
        if self.address is not None:
            columns.append(
                np.asarray([f"{a.city}|{a.district}|{a.tail}" for a in self.address], object)
            )
        if not columns:
            return np.full(self.size, "", object)
        joined = ["\x1f".join(map(str, values)) for values in zip(*columns, strict=True)]
        return np.asarray(["" if _is_blank(j) else j for j in joined], object)

    def address_field(self, attribute: str) -> np.ndarray:
        """One attribute of every prepared address (``tail``, ``district`` ...)."""
        return self.column(f"address.{attribute}")

    def column(self, name: str) -> np.ndarray:
        """One text per record of a compared field, as an object array (built once).

        ``name`` is a field (``name_core``, ``email`` ...), ``address.<attribute>``
        (``address.numbers`` joins the numbers with ``|``), ``phones`` (the numbers
        joined with ``|``), ``phones.first`` or ``other.<column>``.
        """
        key = ("column", name)
        if key not in self._derived:
            self._derived[key] = self._build_column(name)
        return self._derived[key]

    def _build_column(self, name: str) -> np.ndarray:
        if name.startswith("address."):
            attribute = name.removeprefix("address.")
            if attribute == "numbers":
                return _object_array(["|".join(a.numbers) for a in self.address])
            return _object_array([getattr(a, attribute) for a in self.address])
        if name == "phones":
            return _object_array(["|".join(p) for p in self.phones])
        if name == "phones.first":
            return _object_array([p[0] if p else "" for p in self.phones])
        if name.startswith("other."):
            return self.others[name.removeprefix("other.")]
        return getattr(self, name)

    def derived(self, key: str, build: Callable[[], object]) -> object:
        """``build()`` once per table under ``key`` (a per-value table a comparison needs
        on every chunk of pairs), then the stored result."""
        if ("derived", key) not in self._derived:
            self._derived["derived", key] = build()
        return self._derived["derived", key]

    def codes(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, values)`` of :meth:`column`: an int32 code per record, equal codes for
        equal texts, and the distinct texts (``values[codes]`` is the column).

        Comparisons work on codes so that each distinct pair of texts is compared once
        and no million-entry object array is built per pair.

        Examples
        --------
        >>> t = prepare(pd.DataFrame({"e": ["a@x.cn", "", "A@x.cn"]}), {"e": ColumnRole.EMAIL})
        >>> codes, values = t.codes("email")
        >>> codes.tolist(), values.tolist()
        ([0, 1, 0], ['a@x.cn', ''])
        """
        key = ("codes", name)
        if key not in self._derived:
            codes, values = pd.factorize(self.column(name))
            self._derived[key] = (codes.astype(np.int32), _object_array(list(values)))
        return self._derived[key]


def prepare(
    table: pd.DataFrame,
    roles: Mapping[str, ColumnRole],
    *,
    address_parser: Callable[[Iterable[str]], Iterable] | None = None,
    jobs: int = 1,
) -> PreparedTable:
    """Prepare the columns of ``table`` named in ``roles``.

    Parameters
    ----------
    table
        The customer table; row order is kept, the index is ignored.
    roles
        Column name → :class:`ColumnRole`. At most one column per role except ``OTHER``.
    address_parser
        ``parse_many``-like callable (default :func:`addrkit.parse_many`).
    jobs
        Worker processes for a list of ``LARGE_LIST`` rows or more: names, phones and
        (with the default parser) addresses are prepared in pieces on every worker, with
        the same results. 0: every core; 1: none, everything here.

    Returns
    -------
    PreparedTable

    Examples
    --------
    >>> df = pd.DataFrame({"名称": ["云栖科技有限公司"], "电话": ["+86 138-0571-2345"]})
    >>> p = prepare(df, {"名称": ColumnRole.NAME, "电话": ColumnRole.PHONE})
    >>> p.name_core[0], p.phones[0]
    ('云栖科技', ('13805712345',))
    """
    missing = [c for c in roles if c not in table.columns]
    if missing:
        raise InputError(f"columns not in the table / 表中没有这些列: {missing}")
    seen: dict[ColumnRole, str] = {}
    for column, role in roles.items():
        if role is not ColumnRole.OTHER and role in seen:
            raise InputError(
                f"two columns have the role {role.value}: {seen[role]!r} and {column!r}"
            )
        seen[role] = column
    jobs = available_cores() if jobs == 0 else jobs
    if jobs > 1 and len(table) >= LARGE_LIST:
        default_gazetteer().name_finder.wait()  # loaded before the fork, shared by all
        with WorkerPool(jobs) as pool:
            return _prepare_columns(table, roles, address_parser, pool)
    return _prepare_columns(table, roles, address_parser, None)


def _prepare_columns(table, roles, address_parser, pool) -> PreparedTable:
    fields: dict = {"size": len(table)}
    others: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    for column, role in roles.items():
        values = table[column].tolist()
        if role is ColumnRole.NAME:
            names = _pooled_distinct(values, prepare_name, _names_piece, pool)
            fields["name_core"] = _object_array([n.core for n in names])
            fields["name_branch"] = _object_array([n.branch for n in names])
            fields["name_kind"] = _object_array([n.kind for n in names])
            fields["name_form"] = _object_array([n.legal_form for n in names])
        elif role is ColumnRole.PHONE:
            fields["phones"] = _object_array(
                _pooled_distinct(values, prepare_phones, _phones_piece, pool)
            )
        elif role is ColumnRole.ADDRESS:
            addresses: list[PreparedAddress] = prepare_addresses(
                values, parser=address_parser, pool=pool
            )
            fields["address"] = _object_array(addresses)
        elif role is ColumnRole.EMAIL:
            fields["email"] = _object_array(map_distinct(values, prepare_email))
        elif role is ColumnRole.CREDIT_CODE:
            fields["credit_code"] = _object_array(map_distinct(values, prepare_credit_code))
        elif role is ColumnRole.OTHER:
            kind = detect_kind(values)
            kinds[column] = kind.value
            others[column] = _object_array(
                map_distinct(values, lambda v, k=kind: prepare_value(v, k))
            )
    return PreparedTable(others=others, other_kinds=kinds, **fields)


def _is_blank(signature: str) -> bool:
    # "||" is an address with neither city, district nor text.
    return all(part in ("", "||") for part in signature.split("\x1f"))


__all__ += ["NameKind"]
