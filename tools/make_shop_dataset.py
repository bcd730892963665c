#!/usr/bin/env python3
"""Generate content/datasets/shop.sql, the "shop" dataset used by the SQL labs.

Deterministic (fixed seed, standard library only, no network): running it twice
gives byte-identical output. Usage, from the repository root:

    python3 tools/make_shop_dataset.py            # writes content/datasets/shop.sql
    python3 tools/make_shop_dataset.py -o FILE

What the data contains, so exercises can rely on it:
- 500 customers (ids in sign-up order, 2023-01-02 .. 2024-12-20). country is an
  ISO 3166-1 alpha-2 code or NULL (about 7 %). About 40 customers have no orders.
  A few emails are messy on purpose: three people signed up twice with the same
  address in different letter case (one also with a trailing space), and a few
  addresses have stray spaces or capitals.
- 120 products in 8 categories, 15 each. Four products were never ordered.
- 2,500 orders (ids in time order, 2023-01-03 .. 2024-12-31), status one of
  pending, paid, shipped, cancelled. Recent orders are mostly pending or paid;
  a handful of old ones are stuck in pending.
- about 7,000 order_items. unit_price_cents is the price paid: it is lower than
  today's products.price_cents for orders placed before a product's last price
  rise, and 20 % lower on Black Friday (2024-11-29).
- Dates are ISO-8601 text in SQLite's format, 'YYYY-MM-DD HH:MM:SS' (UTC).
- Only primary keys are indexed; the labs have learners create other indexes.
"""

import argparse
import datetime as dt
import os
import random

SEED = 20240514
N_CUSTOMERS = 500
N_ORDERS = 2500
N_CUSTOMERS_WITHOUT_ORDERS = 40
ROWS_PER_INSERT = 100

FIRST = [
    "Ana", "Bruno", "Carla", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Karin", "Lukas", "Maria", "Nils", "Olga", "Pedro", "Quentin", "Rosa", "Sven", "Tomasz",
    "Ursula", "Viktor", "Wiebke", "Xavier", "Yara", "Zoltan", "Aisha", "Ben", "Chloe", "Dmitri",
    "Emma", "Felix", "Giulia", "Hannah", "Ivan", "Julia", "Kenji", "Lea", "Marco", "Noah",
    "Oskar", "Paula", "Rafael", "Sofia", "Tariq", "Uma", "Valentina", "William", "Zofia", "Liam",
    "Mia", "Jan", "Eva", "Sean", "Niamh", "Lars", "Ingrid", "Mateo", "Lucia", "Amir",
]
LAST = [
    "Silva", "Müller", "Schmidt", "Rossi", "García", "Martin", "Bernard", "Nowak", "Kowalski",
    "Johansson", "Andersson", "de Vries", "Jansen", "Bakker", "Dubois", "Moreau", "Fischer",
    "Weber", "Ferrari", "Romano", "Fernández", "López", "Pereira", "Costa", "Santos", "O'Brien",
    "Murphy", "Kelly", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Novak", "Horvath",
    "Nagy", "Popescu", "Ionescu", "Larsen", "Nielsen", "Hansen", "Virtanen", "Korhonen",
    "Peeters", "Maes", "Gruber", "Huber", "Wagner", "Becker", "Hoffmann", "Keller", "Meier",
    "Yilmaz", "Kaya", "Sato", "Tanaka", "Khan", "Ali", "Ahmed", "Park",
]
# ISO 3166-1 alpha-2 and relative weights; None is "unknown" (NULL).
COUNTRIES = [
    ("DE", 22), ("FR", 12), ("NL", 9), ("ES", 8), ("IT", 8), ("PL", 6), ("SE", 5), ("AT", 4),
    ("BE", 4), ("PT", 3), ("IE", 3), ("DK", 2), ("FI", 2), ("GB", 3), ("US", 2), (None, 7),
]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "post.example"]

# 8 categories x 15 products: (name, typical price in euros).
CATALOGUE = {
    "Books": [
        ("Designing Data-Intensive Applications", 45), ("The Pragmatic Programmer", 42),
        ("Clean Architecture", 35), ("Database Internals", 55), ("Release It!", 40),
        ("Refactoring", 48), ("Site Reliability Engineering", 45), ("Kafka in Action", 50),
        ("Learning SQL", 38), ("HTTP: The Definitive Guide", 52), ("Rust in Action", 46),
        ("Effective Java", 44), ("Fluent Python", 58), ("Web Scalability for Startups", 30),
        ("Practical Monitoring", 32),
    ],
    "Electronics": [
        ("USB-C cable 2 m", 12), ("Wireless mouse", 29), ("Mechanical keyboard", 119),
        ("Noise-cancelling headphones", 249), ("HD webcam", 69), ("Portable SSD 1 TB", 109),
        ("Phone charger 65 W", 39), ("Bluetooth speaker", 79), ("27-inch monitor", 289),
        ("USB-C hub", 49), ("Laptop stand", 45), ("Power bank 20000 mAh", 55),
        ("Smart plug", 19), ("E-reader", 139), ("Wireless earbuds", 129),
    ],
    "Home": [
        ("Desk lamp", 35), ("Throw blanket", 49), ("Scented candle", 15), ("Wall clock", 29),
        ("Picture frame A4", 14), ("Cushion cover", 19), ("Storage basket", 25), ("Door mat", 22),
        ("Bath towel set", 39), ("Bedside table", 119), ("Floor lamp", 89), ("Curtain pair", 59),
        ("Coat hooks", 18), ("Mirror 60 cm", 69), ("Laundry hamper", 34),
    ],
    "Kitchen": [
        ("Chef's knife", 79), ("Cutting board", 25), ("French press", 32), ("Espresso cups (4)", 24),
        ("Cast iron pan", 59), ("Mixing bowls", 29), ("Kitchen scale", 22), ("Tea kettle", 45),
        ("Spice rack", 27), ("Salad spinner", 21), ("Toaster", 49), ("Hand blender", 55),
        ("Baking tray", 16), ("Water bottle", 19), ("Lunch box", 17),
    ],
    "Office": [
        ("Notebook A5", 6), ("Gel pens (10)", 9), ("Sticky notes", 4), ("Stapler", 12),
        ("Desk organizer", 19), ("Whiteboard markers (4)", 8), ("Paper clips (100)", 3),
        ("Ring binder", 5), ("Printer paper (500)", 7), ("Highlighters (6)", 6),
        ("Ergonomic chair", 329), ("Desk mat", 24), ("Label maker", 45), ("Document tray", 15),
        ("Scissors", 7),
    ],
    "Outdoors": [
        ("Hiking backpack 30 L", 89), ("Tent 2-person", 179), ("Sleeping bag", 99),
        ("Trekking poles", 59), ("Head torch", 29), ("Camping stove", 49), ("Insulated mug", 22),
        ("Rain jacket", 119), ("Picnic blanket", 35), ("First aid kit", 25), ("Compass", 18),
        ("Dry bag 20 L", 24), ("Camping chair", 45), ("Hammock", 39), ("Bike lights", 32),
    ],
    "Toys": [
        ("Wooden train set", 49), ("Puzzle 1000 pieces", 19), ("Building blocks", 39),
        ("Plush bear", 22), ("Board game: Trains", 44), ("Card game", 12), ("Kite", 25),
        ("Remote control car", 59), ("Marble run", 35), ("Paint set", 18), ("Yo-yo", 6),
        ("Science kit", 42), ("Dollhouse", 89), ("Juggling balls", 14), ("Skipping rope", 8),
    ],
    "Garden": [
        ("Garden hose 20 m", 39), ("Pruning shears", 24), ("Watering can", 19),
        ("Plant pots (3)", 21), ("Seed starter kit", 15), ("Garden gloves", 9),
        ("Bird feeder", 27), ("Solar lights (6)", 35), ("Compost bin", 69), ("Rake", 26),
        ("Lawn sprinkler", 29), ("Herb planter", 32), ("Wheelbarrow", 95), ("Garden kneeler", 23),
        ("Hedge trimmer", 119),
    ],
}

START = dt.datetime(2023, 1, 1)
END = dt.datetime(2025, 1, 1)  # exclusive
BLACK_FRIDAY = dt.date(2024, 11, 29)


def sql_str(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def ts(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def ascii_fold(text):
    table = str.maketrans({"ü": "u", "í": "i", "á": "a", "é": "e", "ó": "o", "ñ": "n"})
    return text.translate(table).lower().replace(" ", "").replace("'", "")


def price_cents(euros, rng):
    """A shop-like price: whole euros minus one cent, or .49/.95 now and then."""
    cents = euros * 100 - 1
    if rng.random() < 0.15:
        cents = euros * 100 - 51
    return max(cents, 149)


def random_moment(rng, start, end):
    seconds = int((end - start).total_seconds())
    moment = start + dt.timedelta(seconds=rng.randrange(seconds))
    # Shops are busier in the day and the evening than at night.
    if moment.hour < 7 and rng.random() < 0.7:
        moment += dt.timedelta(hours=rng.randint(8, 14))
        if moment >= end:
            moment = end - dt.timedelta(seconds=rng.randint(60, 3600))
    return moment


def make_customers(rng):
    created = sorted(
        random_moment(rng, dt.datetime(2023, 1, 2), dt.datetime(2024, 12, 20))
        for _ in range(N_CUSTOMERS)
    )
    countries = [c for c, _ in COUNTRIES]
    weights = [w for _, w in COUNTRIES]
    used_emails = set()
    customers = []
    for i, moment in enumerate(created, start=1):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        name = f"{first} {last}"
        local = f"{ascii_fold(first)}.{ascii_fold(last)}"
        style = rng.random()
        if style < 0.15:
            local = f"{ascii_fold(first)[0]}{ascii_fold(last)}"
        elif style < 0.25:
            local = f"{ascii_fold(first)}{rng.randint(1, 99)}"
        email = f"{local}@{rng.choice(DOMAINS)}"
        while email.lower() in used_emails:
            email = f"{local}{rng.randint(2, 999)}@{rng.choice(DOMAINS)}"
        used_emails.add(email.lower())
        country = rng.choices(countries, weights)[0]
        customers.append({"id": i, "name": name, "email": email, "country": country,
                          "created_at": moment})
    # Data-quality problems the labs ask about: three people signed up twice
    # with the same address in a different letter case ...
    for original, duplicate in ((37, 212), (105, 388), (160, 451)):
        source = customers[original - 1]
        dup = customers[duplicate - 1]
        dup["name"] = source["name"]
        dup["country"] = source["country"]
        local, domain = source["email"].split("@")
        dup["email"] = local[0].upper() + local[1:] + "@" + domain.capitalize()
        if duplicate == 388:
            dup["email"] += " "  # typed with a trailing space as well
    # ... and a few addresses were stored with stray spaces or capitals.
    for cid in (23, 96, 274, 333, 482):
        c = customers[cid - 1]
        c["email"] = (" " if cid % 2 else "") + c["email"] + " "
    for cid in (58, 199):
        c = customers[cid - 1]
        c["email"] = c["email"].upper()
    return customers


def make_products(rng):
    products = []
    pid = 0
    # Interleave categories so ids do not group by category.
    by_category = {cat: list(items) for cat, items in CATALOGUE.items()}
    for round_no in range(15):
        for category in CATALOGUE:
            name, euros = by_category[category][round_no]
            pid += 1
            products.append({"id": pid, "name": name, "category": category,
                             "price_cents": price_cents(euros, rng)})
    # Price history: about a third of products had a price rise; items
    # ordered before the rise were bought at the old, lower price.
    for p in products:
        if rng.random() < 0.35:
            p["raised_on"] = random_moment(rng, dt.datetime(2023, 6, 1), dt.datetime(2024, 11, 1))
            old = int(p["price_cents"] * rng.uniform(0.82, 0.95))
            p["old_price_cents"] = max(99, (old // 100) * 100 - 1)
        else:
            p["raised_on"] = None
    return products


def order_status(rng, created):
    age_days = (END - created).days
    if age_days <= 7:
        return rng.choices(["pending", "paid", "shipped", "cancelled"], [30, 45, 20, 5])[0]
    if age_days <= 21:
        return rng.choices(["pending", "paid", "shipped", "cancelled"], [4, 16, 72, 8])[0]
    return rng.choices(["pending", "paid", "shipped", "cancelled"], [1, 2, 85, 12])[0]


def make_orders(rng, customers):
    ids = [c["id"] for c in customers]
    # Customers with no orders: several of the latest sign-ups plus a random few.
    no_orders = set(ids[-12:])
    while len(no_orders) < N_CUSTOMERS_WITHOUT_ORDERS:
        no_orders.add(rng.choice(ids[:-12]))
    buyers = [c for c in customers if c["id"] not in no_orders]
    # A few loyal customers order a lot, most order a few times.
    weights = [rng.paretovariate(1.6) for _ in buyers]
    orders = []
    # Everybody who buys orders at least once.
    for c in buyers:
        orders.append((c, random_moment(rng, c["created_at"], END)))
    while len(orders) < N_ORDERS:
        c = rng.choices(buyers, weights)[0]
        orders.append((c, random_moment(rng, c["created_at"], END)))
    orders.sort(key=lambda pair: (pair[1], pair[0]["id"]))
    result = []
    for oid, (c, moment) in enumerate(orders, start=1):
        result.append({"id": oid, "customer_id": c["id"], "status": order_status(rng, moment),
                       "created_at": moment})
    return result


def make_items(rng, orders, products):
    never_ordered = set(rng.sample([p["id"] for p in products], 4))
    sellable = [p for p in products if p["id"] not in never_ordered]
    # Popularity follows a long tail.
    popularity = [1.0 / (rank + 3) ** 0.9 for rank in range(len(sellable))]
    rng.shuffle(popularity)
    cheap = {"Office", "Kitchen", "Toys"}
    items = []
    for order in orders:
        count = rng.choices([1, 2, 3, 4, 5, 6], [22, 25, 22, 15, 10, 6])[0]
        chosen = []
        while len(chosen) < count:
            p = rng.choices(sellable, popularity)[0]
            if p not in chosen:
                chosen.append(p)
        for p in sorted(chosen, key=lambda x: x["id"]):
            if p["category"] in cheap and p["price_cents"] < 1500:
                quantity = rng.choices([1, 2, 3, 4, 5, 10], [40, 25, 12, 8, 10, 5])[0]
            else:
                quantity = rng.choices([1, 2, 3, 4], [78, 16, 4, 2])[0]
            unit = p["price_cents"]
            if p["raised_on"] is not None and order["created_at"] < p["raised_on"]:
                unit = p["old_price_cents"]
            if order["created_at"].date() == BLACK_FRIDAY:
                unit = unit * 80 // 100
            items.append({"order_id": order["id"], "product_id": p["id"], "quantity": quantity,
                          "unit_price_cents": unit})
    return items


SCHEMA = """\
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    country     TEXT,                 -- ISO 3166-1 alpha-2 code; NULL when unknown
    created_at  TEXT NOT NULL         -- 'YYYY-MM-DD HH:MM:SS', UTC
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)   -- current price
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    created_at  TEXT NOT NULL
);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),  -- price paid
    PRIMARY KEY (order_id, product_id)
);
"""


def inserts(table, columns, rows):
    out = []
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start:start + ROWS_PER_INSERT]
        out.append(f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n")
        out.append(",\n".join("(" + ", ".join(sql_str(v) for v in row) + ")" for row in chunk))
        out.append(";\n")
    return "".join(out)


def render(customers, products, orders, items):
    parts = [
        "-- Backend Academy lab dataset \"shop\". Generated by tools/make_shop_dataset.py;\n"
        "-- do not edit by hand, change the script and run it again.\n"
        f"-- {len(customers)} customers, {len(products)} products, {len(orders)} orders, "
        f"{len(items)} order_items.\n",
        "BEGIN TRANSACTION;\n\n",
        SCHEMA,
        "\n",
        inserts("customers", ["id", "name", "email", "country", "created_at"],
                [(c["id"], c["name"], c["email"], c["country"], ts(c["created_at"]))
                 for c in customers]),
        inserts("products", ["id", "name", "category", "price_cents"],
                [(p["id"], p["name"], p["category"], p["price_cents"]) for p in products]),
        inserts("orders", ["id", "customer_id", "status", "created_at"],
                [(o["id"], o["customer_id"], o["status"], ts(o["created_at"])) for o in orders]),
        inserts("order_items", ["order_id", "product_id", "quantity", "unit_price_cents"],
                [(i["order_id"], i["product_id"], i["quantity"], i["unit_price_cents"])
                 for i in items]),
        "\nCOMMIT;\n",
    ]
    return "".join(parts)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "content", "datasets", "shop.sql")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=default)
    args = parser.parse_args()

    rng = random.Random(SEED)
    customers = make_customers(rng)
    products = make_products(rng)
    orders = make_orders(rng, customers)
    items = make_items(rng, orders, products)
    text = render(customers, products, orders, items)

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    total = len(customers) + len(products) + len(orders) + len(items)
    print(f"wrote {args.output}: {len(customers)} customers, {len(products)} products, "
          f"{len(orders)} orders, {len(items)} order_items ({total} rows, "
          f"{len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
