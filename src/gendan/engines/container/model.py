"""Plain data of the container loading engine: what goes in, what comes out.

Lengths are integers in one unit chosen by the caller (millimetres in the product, centimetres in
the benchmark); weights are kilograms. Axes: x along the container length from the back wall
(x = 0) to the door (x = length), y across the width, z up from the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Container:
    """The inside of a container or truck body."""

    length: int
    width: int
    height: int
    name: str = ""
    max_payload: float | None = None
    # Greatest allowed distance of the load's centre of gravity from the middle of the length,
    # in length units; None = not checked.
    balance_tolerance: float | None = None
    cost: float = 1.0

    def __post_init__(self) -> None:
        if min(self.length, self.width, self.height) <= 0:
            raise ValueError("container dimensions must be positive")

    @property
    def volume(self) -> int:
        return self.length * self.width * self.height


@dataclass(frozen=True)
class CartonType:
    """One kind of carton and how many of it are to be loaded.

    ``vertical`` says, for each of (length, width, height), whether the carton may stand with
    that dimension vertical. Turning about the vertical axis is always allowed. "This side up"
    is ``vertical=(False, False, True)``.
    ``stack_limit`` is the most cartons that may be stacked on top of one carton (the height of
    the stack above it, counted in cartons); ``fragile`` means nothing on top (stack limit 0).
    ``max_load`` is the most weight (kg) one carton may carry.
    ``priority``: a lower number is more urgent and is loaded first when not everything fits.
    ``group``: the order or drop the cartons belong to (kept together when asked).
    """

    key: str
    length: int
    width: int
    height: int
    quantity: int
    weight: float = 0.0
    vertical: tuple[bool, bool, bool] = (True, True, True)
    stack_limit: int | None = None
    max_load: float | None = None
    fragile: bool = False
    priority: int = 0
    group: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if min(self.length, self.width, self.height) <= 0:
            raise ValueError(f"carton {self.key}: dimensions must be positive")
        if self.quantity < 0:
            raise ValueError(f"carton {self.key}: negative quantity")
        if not any(self.vertical):
            raise ValueError(f"carton {self.key}: no dimension may stand vertical")
        if self.weight < 0:
            raise ValueError(f"carton {self.key}: negative weight")

    @classmethod
    def this_side_up(
        cls, key: str, length: int, width: int, height: int, quantity: int, **kwargs: object
    ) -> CartonType:
        return cls(key, length, width, height, quantity, vertical=(False, False, True), **kwargs)  # type: ignore[arg-type]

    @property
    def dims(self) -> tuple[int, int, int]:
        return (self.length, self.width, self.height)

    @property
    def volume(self) -> int:
        return self.length * self.width * self.height

    @property
    def name(self) -> str:
        return self.label or self.key

    @property
    def effective_stack_limit(self) -> int | None:
        """Cartons allowed on top: 0 when fragile, else the stacking limit (None = no limit)."""
        if self.fragile:
            return 0
        return self.stack_limit

    def orientations(self) -> list[tuple[int, int, int]]:
        """The distinct permitted (dx, dy, dz) of this carton."""
        dims = self.dims
        seen: list[tuple[int, int, int]] = []
        for v in range(3):
            if not self.vertical[v]:
                continue
            a, b = (dims[k] for k in range(3) if k != v)
            for dx, dy in ((a, b), (b, a)):
                o = (dx, dy, dims[v])
                if o not in seen:
                    seen.append(o)
        return seen

    def allows(self, dx: int, dy: int, dz: int) -> bool:
        return (dx, dy, dz) in self.orientations()


@dataclass(frozen=True)
class Placement:
    """One carton in the container: its type (index into the plan's cartons), minimum corner
    and extent after rotation. ``block`` numbers the block of identical cartons it was placed
    with (cartons of one block form a cuboid: rows x columns x layers)."""

    carton: int
    x: int
    y: int
    z: int
    dx: int
    dy: int
    dz: int
    block: int = -1

    @property
    def x1(self) -> int:
        return self.x + self.dx

    @property
    def y1(self) -> int:
        return self.y + self.dy

    @property
    def z1(self) -> int:
        return self.z + self.dz

    @property
    def volume(self) -> int:
        return self.dx * self.dy * self.dz


@dataclass
class Plan:
    """A loading plan for one container; ``left_behind`` counts, per carton index, what does
    not fit. ``stats`` holds search figures (nodes evaluated, passes, seconds)."""

    container: Container
    cartons: list[CartonType]
    placements: list[Placement]
    left_behind: dict[int, int] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    # The groups (orders or drops) in delivery order when they were kept together, else None.
    group_order: list[str] | None = None

    @property
    def loaded_volume(self) -> int:
        return sum(p.volume for p in self.placements)

    @property
    def utilisation(self) -> float:
        """Loaded volume / container volume, as a fraction."""
        return self.loaded_volume / self.container.volume

    @property
    def weight(self) -> float:
        return sum(self.cartons[p.carton].weight for p in self.placements)

    @property
    def centre_of_gravity_x(self) -> float | None:
        total = self.weight
        if total <= 0:
            return None
        return (
            sum(self.cartons[p.carton].weight * (p.x + p.dx / 2) for p in self.placements) / total
        )

    def loaded_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for p in self.placements:
            counts[p.carton] = counts.get(p.carton, 0) + 1
        return counts
