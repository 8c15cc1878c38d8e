-- Place (or replay) an order in one statement: the PostgreSQL twin of
-- ledger/domain/placement.py, step for step (same lock order, same checks in the same order,
-- the same FIFO debit as ledger.domain.wallets.debit).
--
-- A template: each name in double braces is filled in from the Python constant of that
-- name when ledger/storage/pg_functions.py renders it, so no code, status or account name
-- is typed twice. Installed by migration 0006; `migrate()` re-creates it whenever the rendered text
-- changes.
--
-- Writes the order's domain event (p_event_*, subject the order's id) when it places the
-- order, unless p_event_id is NULL. Returns one row: the outcome and the order as stored
-- (NULL for an unknown employee or item, or a revoked kiosk). Call it as
--   SELECT r.outcome, (r.placed).id, (r.placed).status, ... FROM ledger_place_order(...) AS r
CREATE FUNCTION ledger_place_order(
    p_order_id text, p_employee text, p_item text, p_quantity integer, p_points bigint,
    p_badge text, p_device text, p_offline boolean, p_hash text, p_placed_at timestamptz,
    p_now timestamptz, p_tz text, p_evidence_ok boolean, p_evidence_kind text,
    p_evidence_key text, p_cap_orders_hour integer, p_cap_orders_day integer,
    p_cap_points_hour bigint, p_cap_points_day bigint, p_event_id text, p_event_type text,
    p_event_actor text, p_event_payload text
) RETURNS TABLE (outcome text, placed orders)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_wallet text := {{ WALLET_PREFIX }} || p_employee;
    v_active boolean;
    v_balance bigint;
    v_item items%ROWTYPE;
    v_order orders%ROWTYPE;
    v_refusal text;
    v_months integer;
    v_used bigint;
    v_local timestamp;
    v_start timestamptz;
    v_end timestamptz;
    v_left bigint;
    v_take bigint;
    v_lot record;
    v_lot_ids integer[] := '{}';
    v_takes bigint[] := '{}';
    v_hour timestamptz;
    v_day timestamptz;
    v_device_ok boolean;
    v_replay boolean;
    v_known boolean;
    v_i integer;
    v_item_found boolean;
    v_evidence_refused boolean;
BEGIN
    -- Every statement costs tens of microseconds of server CPU on the path that bounds
    -- orders per second, so the usual order takes six: the replay lookup, one lookup of
    -- everything the checks read, the lots, the kiosk's counters, one statement that
    -- writes the order, moves its points and writes its event, and the lot it draws on
    -- (one statement per lot). The rare outcomes (a replay, an unknown employee, a stocked item, a PIN) take
    -- statements of their own.
    SELECT * INTO v_order FROM orders o WHERE o.id = p_order_id;
    v_replay := FOUND;
    IF NOT v_replay THEN
        -- Lock order: wallet, then (stocked) item; lots change only under the wallet lock.
        -- The wallet is locked in the employee's lookup, which also reads the item, whether
        -- the kiosk is still enrolled and whether a shown badge or card is another's or
        -- revoked (the kiosk's evidence: ledger.domain.evidence.assess decided what needs no
        -- rows, as evidence.rows_agree does on SQLite). A stocked item is read again under
        -- its lock.
        SELECT a.balance, e.active,
               p_device IS NULL OR EXISTS (
                   SELECT 1 FROM devices d WHERE d.id = p_device AND d.revoked_at IS NULL),
               i.id IS NOT NULL, i.stock, i.active, i.points, i.limit_per_employee,
               i.limit_period, i.title_en,
               CASE p_evidence_kind
                   -- No row: issued after the backup this database was restored from.
                   WHEN 'qr' THEN EXISTS (
                       SELECT 1 FROM badges b
                        WHERE b.serial = p_evidence_key
                          AND (b.employee_id <> p_employee OR b.revoked_at IS NOT NULL))
                   WHEN 'rfid' THEN NOT EXISTS (
                       SELECT 1 FROM badges b
                        WHERE b.kind = 'rfid' AND b.uid = p_evidence_key
                          AND b.revoked_at IS NULL AND b.employee_id = p_employee)
                   ELSE false
               END
          INTO v_balance, v_active, v_device_ok, v_item_found, v_item.stock, v_item.active,
               v_item.points, v_item.limit_per_employee, v_item.limit_period,
               v_item.title_en, v_evidence_refused
          FROM employees e
          JOIN accounts a ON a.id = v_wallet
          LEFT JOIN items i ON i.id = p_item
         WHERE e.id = p_employee
           FOR UPDATE OF a;
        v_known := FOUND;
    END IF;
    -- A revoked kiosk is refused at once, replays and unknown workers included
    -- (ledger.domain.placement): those did not read the kiosk above.
    IF (v_replay OR NOT v_known) AND p_device IS NOT NULL THEN
        v_device_ok := EXISTS (
            SELECT 1 FROM devices d WHERE d.id = p_device AND d.revoked_at IS NULL);
    END IF;
    IF NOT coalesce(v_device_ok, true) THEN
        outcome := {{ ErrorCode.DEVICE_REVOKED }};
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_replay THEN
        outcome := {{ PlaceOutcome.EXISTING }};
        placed := v_order;
        RETURN NEXT;
        RETURN;
    END IF;
    IF NOT v_known THEN
        outcome := {{ ErrorCode.UNKNOWN_EMPLOYEE }};
        RETURN NEXT;
        RETURN;
    END IF;
    IF NOT v_item_found THEN
        outcome := {{ ErrorCode.UNKNOWN_ITEM }};
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_item.stock IS NOT NULL THEN
        SELECT * INTO v_item FROM items i WHERE i.id = p_item FOR UPDATE;
    END IF;

    -- Bad evidence is refused first, so it learns nothing of balances, stock or limits.
    IF p_evidence_ok IS NOT NULL AND NOT p_evidence_ok THEN
        v_refusal := {{ ErrorCode.EVIDENCE_INVALID }};
    ELSIF v_evidence_refused THEN
        v_refusal := {{ ErrorCode.EVIDENCE_INVALID }};
    ELSIF p_evidence_kind = 'pin' THEN
        PERFORM 1 FROM pin_tokens t
         WHERE t.token_hash = p_evidence_key AND t.used_at IS NULL AND t.expires_at > p_now
           AND t.employee_id = p_employee AND t.device_id = p_device
           FOR UPDATE;
        IF NOT FOUND THEN
            v_refusal := {{ ErrorCode.EVIDENCE_INVALID }};
        END IF;
    END IF;
    IF v_refusal IS NOT NULL THEN
        NULL;
    ELSIF NOT v_active THEN
        v_refusal := {{ ErrorCode.EMPLOYEE_INACTIVE }};
    ELSIF NOT v_item.active THEN
        v_refusal := {{ ErrorCode.ITEM_INACTIVE }};
    ELSIF p_points <> v_item.points * p_quantity THEN
        v_refusal := {{ ErrorCode.PRICE_CHANGED }};
    ELSIF v_item.stock IS NOT NULL AND v_item.stock < p_quantity THEN
        v_refusal := {{ ErrorCode.OUT_OF_STOCK }};
    ELSIF v_item.limit_per_employee IS NOT NULL AND v_item.limit_period IS NOT NULL THEN
        -- sync.periods.period_bounds: the period starts on the first of the month whose
        -- number (January = 0) is a multiple of its length, at local midnight.
        v_months := CASE v_item.limit_period {{ PERIOD_MONTHS }} END;
        IF v_months IS NULL THEN
            RAISE EXCEPTION USING MESSAGE = 'unknown period ' || v_item.limit_period;
        END IF;
        v_local := p_now AT TIME ZONE p_tz;
        v_local := make_timestamp(
            extract(year FROM v_local)::integer,
            (extract(month FROM v_local)::integer - 1) / v_months * v_months + 1,
            1, 0, 0, 0);
        v_start := v_local AT TIME ZONE p_tz;
        v_end := (v_local + make_interval(months => v_months)) AT TIME ZONE p_tz;
        SELECT coalesce(sum(o.quantity), 0) INTO v_used FROM orders o
         WHERE o.employee_id = p_employee AND o.item_id = p_item
           AND o.status IN ({{ LIMIT_COUNTED_STATUSES }})
           AND o.created_at >= v_start AND o.created_at < v_end;
        IF v_used + p_quantity > v_item.limit_per_employee THEN
            v_refusal := {{ ErrorCode.LIMIT_REACHED }};
        END IF;
    END IF;

    -- ledger.domain.wallets.debit: never below zero, lots that expire first pay first.
    IF v_refusal IS NULL THEN
        IF v_balance < p_points THEN
            v_refusal := {{ ErrorCode.INSUFFICIENT_POINTS }};
        ELSE
            v_left := p_points;
            FOR v_lot IN
                SELECT l.id, l.remaining FROM lots l
                 WHERE l.employee_id = p_employee AND l.remaining > 0 AND l.expires_at > p_now
                 ORDER BY l.expires_at, l.id
            LOOP
                EXIT WHEN v_left = 0;
                v_take := least(v_lot.remaining, v_left);
                v_lot_ids := v_lot_ids || v_lot.id;
                v_takes := v_takes || v_take;
                v_left := v_left - v_take;
            END LOOP;
            IF v_left > 0 THEN
                v_refusal := {{ ErrorCode.INSUFFICIENT_POINTS }};
            END IF;
        END IF;
    END IF;

    -- ledger.domain.device_caps.count_order: the kiosk's counters for this clock hour (UTC)
    -- and site day take the order if no cap refuses it (an offline order only the daily
    -- caps); the device's row lock also keeps a kiosk revoked meanwhile from ordering.
    -- Counted before the insert below, so a concurrent twin of this order id that wins the
    -- insert is counted twice: the caps bound a device, they are not a ledger.
    IF v_refusal IS NULL AND p_device IS NOT NULL THEN
        v_hour := date_trunc('hour', p_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        v_day := date_trunc('day', p_now AT TIME ZONE p_tz) AT TIME ZONE p_tz;
        UPDATE devices d SET
            hour_start = v_hour,
            hour_orders = CASE WHEN d.hour_start = v_hour THEN d.hour_orders ELSE 0 END + 1,
            hour_points = CASE WHEN d.hour_start = v_hour THEN d.hour_points ELSE 0 END
                          + p_points,
            day_start = v_day,
            day_orders = CASE WHEN d.day_start = v_day THEN d.day_orders ELSE 0 END + 1,
            day_points = CASE WHEN d.day_start = v_day THEN d.day_points ELSE 0 END + p_points
         WHERE d.id = p_device AND d.revoked_at IS NULL
           AND (p_offline OR p_cap_orders_hour = 0 OR
                CASE WHEN d.hour_start = v_hour THEN d.hour_orders ELSE 0 END + 1
                <= p_cap_orders_hour)
           AND (p_offline OR p_cap_points_hour = 0 OR
                CASE WHEN d.hour_start = v_hour THEN d.hour_points ELSE 0 END + p_points
                <= p_cap_points_hour)
           AND (p_cap_orders_day = 0 OR
                CASE WHEN d.day_start = v_day THEN d.day_orders ELSE 0 END + 1
                <= p_cap_orders_day)
           AND (p_cap_points_day = 0 OR
                CASE WHEN d.day_start = v_day THEN d.day_points ELSE 0 END + p_points
                <= p_cap_points_day);
        IF NOT FOUND THEN
            UPDATE devices d SET capped_at = p_now
             WHERE d.id = p_device AND d.revoked_at IS NULL;
            IF NOT FOUND THEN
                outcome := {{ ErrorCode.DEVICE_REVOKED }};
                RETURN NEXT;
                RETURN;
            END IF;
            v_refusal := {{ ErrorCode.DEVICE_CAP_REACHED }};
        END IF;
    END IF;

    -- The order and, unless refused, its points' move and its event: one statement. Its parts see the
    -- same snapshot and each other only through RETURNING, so every write below the
    -- order's insert is conditioned on the insert having happened: a twin of this order id
    -- that committed while this call waited for the wallet leaves nothing written.
    WITH inserted AS (
        INSERT INTO orders (id, employee_id, item_id, quantity, points, status, reason,
                            refused, badge_serial, device_id, offline, request_hash,
                            placed_at, created_at, updated_at, change_seq)
        VALUES (p_order_id, p_employee, p_item, p_quantity, p_points,
                CASE WHEN v_refusal IS NULL THEN {{ OrderStatus.PENDING }}
                     ELSE {{ OrderStatus.REJECTED }} END,
                v_refusal, v_refusal IS NOT NULL, p_badge, p_device, p_offline, p_hash,
                p_placed_at, p_now, p_now, NULL)
        ON CONFLICT (id) DO NOTHING
        RETURNING *
    ), moving AS (
        SELECT 1 FROM inserted WHERE v_refusal IS NULL
    ), held AS (
        INSERT INTO transfers (from_account, to_account, amount, kind, employee_id, order_id,
                               memo, created_at, change_seq)
        SELECT v_wallet, {{ ORDERS_HELD }}, p_points, {{ TransferKind.HOLD }}, p_employee,
               p_order_id, left(v_item.title_en, {{ MEMO_LENGTH }}), p_now, NULL
          FROM moving
        RETURNING id
    ), debited AS (
        UPDATE accounts SET balance = balance - p_points
         WHERE id = v_wallet AND EXISTS (SELECT 1 FROM moving)
    ), allocated AS (
        INSERT INTO lot_allocations (lot_id, transfer_id, order_id, points)
        SELECT t.id, held.id, p_order_id, t.take
          FROM held, unnest(v_lot_ids, v_takes) AS t(id, take)
    ), touched AS (
        UPDATE employees SET change_seq = NULL
         WHERE id = p_employee AND EXISTS (SELECT 1 FROM moving)
    ), announced AS (
        -- The domain event a placed order announces (none for a refused one).
        INSERT INTO domain_events (id, type, occurred_at, subject, actor, payload)
        SELECT p_event_id, p_event_type, p_now, p_order_id, p_event_actor, p_event_payload
          FROM moving
         WHERE p_event_id IS NOT NULL
    )
    SELECT * INTO v_order FROM inserted;
    IF NOT FOUND THEN
        -- The same id committed while this call waited for the wallet: replay that one.
        SELECT * INTO v_order FROM orders o WHERE o.id = p_order_id;
        outcome := {{ PlaceOutcome.EXISTING }};
        placed := v_order;
        RETURN NEXT;
        RETURN;
    END IF;

    IF v_refusal IS NULL THEN
        -- Each lot by its id: a join with the arrays is planned (generically) as a scan of
        -- every lot.
        FOR v_i IN 1 .. coalesce(array_length(v_lot_ids, 1), 0) LOOP
            UPDATE lots SET remaining = remaining - v_takes[v_i], change_seq = NULL
             WHERE id = v_lot_ids[v_i];
        END LOOP;
        IF v_item.stock IS NOT NULL THEN
            UPDATE items SET stock = stock - p_quantity, updated_at = p_now, change_seq = NULL
             WHERE id = p_item;
        END IF;
        IF p_evidence_kind = 'pin' THEN
            UPDATE pin_tokens SET used_at = p_now WHERE token_hash = p_evidence_key;
        END IF;
    END IF;
    outcome := {{ PlaceOutcome.CREATED }};
    placed := v_order;
    RETURN NEXT;
END
$fn$;
