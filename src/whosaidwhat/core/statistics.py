"""The agreement coefficients, from maintained libraries: Krippendorff's alpha (``krippendorff``) and
Cohen's kappa (scikit-learn), and precision, recall and F1 of matched counts. Imported lazily:
only a comparison of two annotators needs numpy and scikit-learn."""

from __future__ import annotations

import warnings


def prf(matches: int, n_a: int, n_b: int) -> dict:
    """Precision and recall with ``a`` as the reference, and the symmetric F1; None when undefined."""
    def ratio(x, y):
        return round(x / y, 4) if y else None
    return {"precision": ratio(matches, n_b), "recall": ratio(matches, n_a), "f1": ratio(2 * matches, n_a + n_b)}


def alpha(data: list[list], values: int) -> float | None:
    """Krippendorff's alpha (nominal); None when it is undefined (fewer than two values seen)."""
    import krippendorff
    import numpy as np
    matrix = np.array(data, dtype=float)
    matrix[matrix < 0] = np.nan  # token roles are stored as bytes, -1 where an annotator did not annotate
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                                       value_domain=list(range(values)))
    except (ValueError, ZeroDivisionError):
        return None
    return None if np.isnan(value) else round(float(value), 4)


def kappa(a: list[str], b: list[str], labels: tuple[str, ...]) -> float | None:
    """Cohen's kappa of two annotators' labels of the same items; None without items."""
    import numpy as np
    from sklearn.metrics import cohen_kappa_score
    if not a:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b, labels=list(labels))
    return None if np.isnan(value) else round(float(value), 4)


def fmt(value) -> str:
    """A figure as the agreement table shows it."""
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
