"""The loading plan pictures: valid SVG, the right cartons in the right order and colours, in a PDF."""

import base64
import random
import xml.etree.ElementTree as ET

import pypdfium2
import pytest
import weasyprint

from gendan.loading import pictures
from gendan.loading.pictures import colour_key, door_view, isometric_view, side_view

SVG = "{http://www.w3.org/2000/svg}"

ITEMS = [
    {"key": "BC-101", "label": "BC-101 婴儿推车", "order_number": "SO-2026-000012"},
    {"key": "BC-102", "label": "BC-102 <折叠> & 轻便", "order_number": "SO-2026-000012"},
    {"key": "BC-103", "label": "BC-103 安全座椅", "order_number": "SO-2026-000013"},
]


def a_container(placements: list[dict]) -> dict:
    return {
        "index": 1,
        "type_code": "40HQ",
        "type_name": "40HQ",
        "length": 12032,
        "width": 2352,
        "height": 2698,
        "placements": placements,
        "walls": [],
    }


def box(item: int, x: int, y: int, z: int, dx: int, dy: int, dz: int, *, wall: int = 1) -> dict:
    return {"item": item, "x": x, "y": y, "z": z, "dx": dx, "dy": dy, "dz": dz, "wall": wall}


def walls_of_cartons(walls: int, *, dx: int = 600, dy: int = 400, dz: int = 500) -> list[dict]:
    """Full walls of equal cartons from the back wall; wall n holds product (n - 1) % 3."""
    placements = []
    for n in range(walls):
        for y in range(0, 2352 - dy + 1, dy):
            for z in range(0, 2698 - dz + 1, dz):
                placements.append(box(n % 3, n * dx, y, z, dx, dy, dz, wall=n + 1))
    for seq, placement in enumerate(placements):
        placement["seq"] = seq
    return placements


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def cartons_drawn(svg: str) -> list[ET.Element]:
    """The carton shapes in drawing order (a <g> of faces in 3D, a <rect> in the flat views)."""
    (group,) = [g for g in parse(svg).iter(f"{SVG}g") if g.get("class") == "cartons"]
    return list(group)


COLOUR_OF_SHADE = {
    shade: colour
    for colour in (*pictures.PALETTE, pictures.GREY)
    for shade in pictures._shades(colour)
}


def fill_of(carton: ET.Element) -> str:
    """A flat carton's fill, or the colour of a 3D carton, whose faces are shades of it."""
    if carton.get("fill"):
        return carton.get("fill")
    (colour,) = {COLOUR_OF_SHADE[face.get("fill")] for face in carton}
    return colour


def visible_in_a_grid(placements: list[dict]) -> tuple[int, int, int]:
    """How many cartons of a grid of equal cartons the 3D, side and door views show: those with
    no neighbour on top, on the y=0 side or on the door side (3D), in front (side), nearer the door
    (door), all counted in the grid itself."""
    dx, dy, dz = placements[0]["dx"], placements[0]["dy"], placements[0]["dz"]
    at = {(p["x"], p["y"], p["z"]) for p in placements}
    in_3d = sum(
        (x, y, z + dz) not in at or (x, y - dy, z) not in at or (x + dx, y, z) not in at
        for x, y, z in at
    )
    side = len({(x, z) for x, _, z in at})
    door = len({(y, z) for _, y, z in at})
    return in_3d, side, door


def test_every_picture_is_an_accessible_svg_that_scales():
    container = a_container(walls_of_cartons(2))

    for svg in (
        isometric_view(container, ITEMS),
        side_view(container, ITEMS),
        door_view(container, ITEMS),
    ):
        root = parse(svg)
        assert root.get("width") == "100%"
        assert root.get("role") == "img"
        assert root.get("viewBox").startswith("0 0 ")
        assert root.find(f"{SVG}title").text == "40HQ #1"


def test_an_empty_container_is_a_picture_of_the_empty_container():
    container = a_container([])

    for svg in (
        isometric_view(container, ITEMS),
        side_view(container, ITEMS),
        door_view(container, ITEMS, wall=1),
    ):
        assert cartons_drawn(svg) == []
        assert [e for e in parse(svg).iter() if e.get("class") == "container"] != []


def test_text_in_the_picture_is_escaped():
    container = a_container([box(1, 0, 0, 0, 600, 400, 500)]) | {"type_code": "<20GP> & co"}

    svg = isometric_view(container, ITEMS)

    assert parse(svg).find(f"{SVG}title").text == "<20GP> & co #1"


def test_one_carton_shape_per_visible_carton():
    container = a_container(walls_of_cartons(3))  # 3 walls of 5 across x 5 high

    # in 3D: the door wall, the row along y=0 and the top layer of the others; 75 - 2 * 4 * 4
    assert len(cartons_drawn(isometric_view(container, ITEMS))) == 43
    assert len(cartons_drawn(isometric_view(container, ITEMS, upto_wall=2))) == 50 - 4 * 4
    assert len(cartons_drawn(side_view(container, ITEMS))) == 3 * 5  # the row along y=0
    assert len(cartons_drawn(door_view(container, ITEMS))) == 25  # the door wall
    assert visible_in_a_grid(walls_of_cartons(3)) == (43, 15, 25)
    # a 3D carton is those of its three faces (top, y=0 side, door side) not against another
    # carton: all three at the top of the door end of the y=0 row, two along the other edges
    faces = sorted(len(g) for g in cartons_drawn(isometric_view(container, ITEMS)))
    assert faces == [1] * 32 + [2] * (4 + 4 + 2) + [3]


# A carton in the middle of a stack, and the cartons against its top, y=0 side and door side.
MIDDLE = box(2, 600, 400, 500, 600, 400, 500)
ABOVE = box(0, 600, 400, 1000, 600, 400, 500)
IN_FRONT = box(0, 600, 0, 500, 600, 400, 500)
DOOR_SIDE = box(0, 1200, 400, 500, 600, 400, 500)


def drawn_colours(svg: str) -> list[str]:
    return [fill_of(g) for g in cartons_drawn(svg)]


def test_a_carton_with_every_visible_face_against_other_cartons_is_not_drawn():
    middle = pictures.PALETTE[2]

    enclosed = isometric_view(a_container([MIDDLE, ABOVE, IN_FRONT, DOOR_SIDE]), ITEMS)
    # the top covered by two cartons together, with no gap
    halves = [box(1, 600, 400, 1000, 300, 400, 500), box(1, 900, 400, 1000, 300, 400, 800)]
    covered_in_two = isometric_view(a_container([MIDDLE, *halves, IN_FRONT, DOOR_SIDE]), ITEMS)

    assert len(cartons_drawn(enclosed)) == 3
    assert middle not in drawn_colours(enclosed)
    assert len(cartons_drawn(covered_in_two)) == 4
    assert middle not in drawn_colours(covered_in_two)


def test_a_carton_with_one_face_to_see_is_drawn_with_that_face():
    middle = pictures.PALETTE[2]
    top, _, _ = pictures._shades(middle)
    # the carton above is a little short, so a strip of the top shows at the door end
    short_above = box(0, 600, 400, 1000, 590, 400, 500)

    open_top = cartons_drawn(isometric_view(a_container([MIDDLE, IN_FRONT, DOOR_SIDE]), ITEMS))
    strip = cartons_drawn(
        isometric_view(a_container([MIDDLE, short_above, IN_FRONT, DOOR_SIDE]), ITEMS)
    )

    assert (len(open_top), len(strip)) == (3, 4)
    for drawn in (open_top, strip):
        (shown,) = [g for g in drawn if fill_of(g) == middle]
        assert [face.get("fill") for face in shown] == [top]
    # drawn before the cartons against it, which may hide the rest of it
    assert fill_of(strip[0]) == middle


def test_the_flat_views_leave_out_cartons_covered_by_nearer_ones():
    behind = box(2, 0, 800, 0, 600, 400, 500)
    two_in_front = [box(0, 0, 0, 0, 300, 400, 500), box(1, 300, 400, 0, 300, 400, 500)]
    peeks_out = box(2, 0, 800, 0, 600, 400, 600)  # 100 mm higher than those in front

    covered = a_container([behind, *two_in_front])
    not_covered = a_container([peeks_out, *two_in_front])
    # seen from the door: behind the door wall's cartons at x=600
    door_wall = [box(0, 600, 0, 0, 600, 1200, 500)]

    assert pictures.PALETTE[2] not in drawn_colours(side_view(covered, ITEMS))
    assert len(cartons_drawn(side_view(covered, ITEMS))) == 2
    assert drawn_colours(side_view(not_covered, ITEMS))[0] == pictures.PALETTE[2]
    assert len(cartons_drawn(door_view(a_container([behind, *door_wall]), ITEMS))) == 1
    assert len(cartons_drawn(door_view(a_container([peeks_out, *door_wall]), ITEMS))) == 2


def test_text_is_in_a_font_that_has_chinese_characters():
    root = parse(isometric_view(a_container([MIDDLE]), ITEMS))

    (label,) = root.iter(f"{SVG}text")
    assert label.text == "门 door"
    assert label.get("font-family").startswith("Noto Sans CJK SC")
    assert root.get("font-family").startswith("Noto Sans CJK SC")


# The view looks from the y=0 side, from above and from the door end: a carton is nearer the viewer
# the larger its x, the smaller its y and the larger its z.
LONG_LOW = box(0, 0, 0, 0, 2000, 400, 200)  # along the y=0 side, on the floor
TALL_BEHIND = box(1, 1800, 400, 0, 200, 400, 1000)  # behind the door end of LONG_LOW
SMALL_ON_TOP = box(2, 0, 0, 200, 200, 400, 200)  # on the back end of LONG_LOW


def naive_order(placements: list[dict]) -> list[int]:
    """Sorted by the sum of a corner's coordinates, nearer ones (door, y=0, top) last."""
    return [p["item"] for p in sorted(placements, key=lambda p: p["x"] - p["y"] + p["z"])]


def test_the_3d_view_draws_each_carton_after_those_it_may_hide_where_a_corner_sum_fails():
    placements = [SMALL_ON_TOP, LONG_LOW, TALL_BEHIND]
    product = {colour: n for n, (colour, _) in enumerate(colour_key(ITEMS))}

    drawn = cartons_drawn(isometric_view(a_container(placements), ITEMS))

    # the tall carton behind first, then the long one in front of it, then the one on top of it
    assert [product[fill_of(g)] for g in drawn] == [1, 0, 2]
    assert naive_order(placements) != [1, 0, 2]


def guillotine_packing(rng: random.Random, cuts: int) -> list[dict]:
    """Cartons of mixed sizes that never overlap: the container split again and again, some left empty."""
    spaces = [(0, 0, 0, 12000, 2400, 2700)]
    for _ in range(cuts):
        x, y, z, dx, dy, dz = spaces.pop(rng.randrange(len(spaces)))
        axis = max(range(3), key=lambda a: ((dx, dy, dz)[a], rng.random()))
        size = (dx, dy, dz)[axis]
        cut = rng.randrange(size // 5, size - size // 5 + 1)
        first, second = [x, y, z, dx, dy, dz], [x, y, z, dx, dy, dz]
        first[3 + axis] = cut
        second[axis] += cut
        second[3 + axis] = size - cut
        spaces += [tuple(first), tuple(second)]
    return [box(n % 3, *space) for n, space in enumerate(spaces) if rng.random() < 0.8]


@pytest.mark.parametrize("seed", range(20))
def test_the_3d_painters_order_holds_for_cartons_of_mixed_sizes(seed):
    placements = guillotine_packing(random.Random(seed), cuts=60)
    cartons = pictures._cartons(a_container(placements), ITEMS, by="product")
    view = pictures._Projection(pictures.VIEW_AZIMUTH, pictures.VIEW_ELEVATION)

    order = pictures._painter_order(cartons, view)

    assert sorted(map(id, order)) == sorted(map(id, cartons))
    drawn_at = {id(c): n for n, c in enumerate(order)}
    outlines = {id(c): silhouette(c, view) for c in cartons}
    checked = 0
    for a in cartons:
        for b in cartons:
            if pictures._drawn_before(a, b) and overlap(outlines[id(a)], outlines[id(b)]):
                assert drawn_at[id(a)] < drawn_at[id(b)]
                checked += 1
    assert checked >= 20


def silhouette(c, view) -> list[tuple[float, float]]:
    """The convex outline of a carton's picture (monotone chain hull of its corners)."""
    corners = sorted(
        {view.screen(x, y, z) for x in (c.x1, c.x2) for y in (c.y1, c.y2) for z in (c.z1, c.z2)}
    )

    def half(points):
        hull = []
        for p in points:
            while len(hull) >= 2 and cross(hull[-2], hull[-1], p) <= 0:
                hull.pop()
            hull.append(p)
        return hull[:-1]

    return half(corners) + half(corners[::-1])


def cross(o, a, b) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def overlap(p: list[tuple[float, float]], q: list[tuple[float, float]]) -> bool:
    """Whether two convex outlines share some area: no edge of either separates them."""
    for poly in (p, q):
        for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
            nx, ny = y2 - y1, x1 - x2
            p_proj = [nx * x + ny * y for x, y in p]
            q_proj = [nx * x + ny * y for x, y in q]
            if max(p_proj) <= min(q_proj) + 1e-6 or max(q_proj) <= min(p_proj) + 1e-6:
                return False
    return True


def test_the_flat_views_draw_the_nearest_cartons_last():
    # each partly behind the other: the whole of it would not be drawn
    back, front = box(0, 300, 400, 0, 600, 400, 500), box(1, 0, 0, 0, 600, 400, 500)
    deep, near = box(0, 0, 200, 0, 600, 400, 500), box(1, 600, 0, 0, 600, 400, 500, wall=2)
    product = dict((label, colour) for colour, label in colour_key(ITEMS))

    side = cartons_drawn(side_view(a_container([front, back]), ITEMS))
    door = cartons_drawn(door_view(a_container([near, deep]), ITEMS))

    assert [fill_of(r) for r in side] == [product[ITEMS[0]["label"]], product[ITEMS[1]["label"]]]
    assert [fill_of(r) for r in door] == [product[ITEMS[0]["label"]], product[ITEMS[1]["label"]]]


def test_the_colour_key_is_per_product_or_per_order_in_first_appearance_order():
    by_product = colour_key(ITEMS, by="product")
    by_order = colour_key(ITEMS, by="order")

    assert by_product == [
        (pictures.PALETTE[0], "BC-101 婴儿推车"),
        (pictures.PALETTE[1], "BC-102 <折叠> & 轻便"),
        (pictures.PALETTE[2], "BC-103 安全座椅"),
    ]
    assert by_order == [
        (pictures.PALETTE[0], "SO-2026-000012"),
        (pictures.PALETTE[1], "SO-2026-000013"),
    ]


def test_cartons_of_one_order_share_a_colour_and_products_do_not():
    container = a_container([box(n, 0, n * 400, 0, 600, 400, 500) for n in range(3)])

    by_product = [fill_of(r) for r in cartons_drawn(door_view(container, ITEMS, by="product"))]
    by_order = [fill_of(r) for r in cartons_drawn(door_view(container, ITEMS, by="order"))]

    assert len(set(by_product)) == 3
    assert by_order[0] == by_order[1] != by_order[2]


def test_more_products_than_the_palette_still_get_distinct_colours():
    items = [{"key": f"P{n}", "label": f"P{n}", "order_number": "SO-1"} for n in range(48)]

    colours = [colour for colour, _ in colour_key(items)]

    assert len(set(colours)) == 48
    assert colour_key(items) == colour_key(items)


def test_a_wall_picture_shows_that_wall_in_colour_the_deeper_ones_grey_and_not_the_nearer():
    container = a_container(
        [
            box(0, 0, 800, 0, 600, 400, 500, wall=1),  # not behind wall 2
            box(1, 600, 0, 0, 600, 400, 500, wall=2),
            box(1, 600, 400, 0, 600, 400, 500, wall=2),
            box(2, 1200, 0, 0, 600, 400, 500, wall=3),
        ]
    )

    wall_2 = [fill_of(r) for r in cartons_drawn(door_view(container, ITEMS, wall=2))]

    assert wall_2 == [pictures.GREY, pictures.PALETTE[1], pictures.PALETTE[1]]
    assert parse(door_view(container, ITEMS, wall=2)).find(f"{SVG}title").text == "40HQ #1 · wall 2"


def test_a_step_picture_greys_every_wall_but_the_highlighted_one():
    container = a_container(walls_of_cartons(4))

    drawn = cartons_drawn(isometric_view(container, ITEMS, upto_wall=3, highlight_wall=3))

    # wall 3 is the door end of what is loaded, so all of it shows; of walls 1 and 2 only the
    # top layer and the row along y=0 (5 + 5 - 1 each)
    assert len(drawn) == 25 + 2 * 9
    assert sum(fill_of(g) == pictures.GREY for g in drawn) == 2 * 9


def test_a_full_40hq_of_3000_cartons_draws_only_what_shows():
    # what keeps the picture fast is drawing only the visible cartons (its time is the
    # benchmark's to measure, not a test's: a timer fails on a loaded machine)
    placements = walls_of_cartons(42, dx=280, dy=290, dz=290)[:3000]  # walls of 8 across, 9 high
    container = a_container(placements)

    svg = isometric_view(container, ITEMS)

    assert len(cartons_drawn(svg)) == visible_in_a_grid(placements)[0] < 3000 / 3
    assert len(svg) < 100_000  # WeasyPrint takes about a second per 150 KB


def non_white_share(pdf: bytes) -> float:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=1).to_pil().convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


@pytest.mark.parametrize("embedding", ["inline", "img"])
def test_weasyprint_draws_the_picture_inline_and_as_an_image(embedding):
    svg = isometric_view(a_container(walls_of_cartons(6)), ITEMS)
    if embedding == "inline":
        body = svg
    else:
        data = base64.b64encode(svg.encode()).decode()
        body = f'<img style="width:100%" src="data:image/svg+xml;base64,{data}" alt="40HQ #1">'
    page_css = "@page { size: 200mm 100mm; margin: 0 } body { margin: 0 }"
    blank = weasyprint.HTML(string=f"<style>{page_css}</style>").write_pdf()

    pdf = weasyprint.HTML(string=f"<style>{page_css}</style><div>{body}</div>").write_pdf()

    assert non_white_share(blank) == 0
    assert non_white_share(pdf) > 0.1  # the cartons cover a good part of the page
