"""The national conversion of pre-2025 addresses to the 2025 communes (vietnamadminunits), for
old names that the unit tree of an installation does not hold. Imports nothing of this project:
the unit resolver (cadres.models.units) asks it."""


def successor_code_by_address(name: str, district: str, province: str) -> str | None:
    """The 2025 commune code of a pre-2025 unit, from the vietnamadminunits package."""
    from vietnamadminunits import convert_address  # heavy: loaded only when an old name misses

    try:
        converted = convert_address(f"{name}, {district}, {province}")
    except (ValueError, KeyError, AttributeError):
        return None
    return converted.ward_code or None
