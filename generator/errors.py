"""Problems with their place: ``path:line: message``.

Every stage reports bad input as a :class:`SourceError` and keeps going where
it can; the build collects them in a :class:`Diagnostics` and stops once, with
every problem listed, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceError(Exception):
    """One problem in one input file, at a 1-based line (0 when unknown)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class BuildFailed(Exception):
    """Raised when a stage has collected errors: the build must not write."""

    def __init__(self, problems: list[SourceError]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Diagnostics:
    """Errors and warnings collected over one build."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.errors.append(SourceError(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        self.warnings.append(SourceError(path, line, message))

    def extend(self, other: Diagnostics) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_if_errors(self) -> None:
        """Stop the build if any error was recorded (after a whole stage ran)."""
        if self.errors:
            raise BuildFailed(sorted(self.errors, key=_order))


def _order(problem: SourceError) -> tuple[str, int, str]:
    return (problem.path, problem.line, problem.message)
