// MatchingDomain: the pure matching engine of the carbon market (no Kafka, no SQLite, no clock,
// no randomness). The service feeds it decoded inputs and stores/publishes its outputs.
//
// Layers
// - `ListedBook`: one instrument's continuous limit order book on dense integer ids; the hot
//   path. A price-indexed ladder with an occupancy bitmap, FIFO per level in a node slab.
// - `InstrumentState`: one instrument's session, book, block quotes, auction and order table.
// - `MatchingEngine`: every instrument, one entry point per input, interning of string ids,
//   the hold state machine (DESIGN "The order saga").
// - `CSVReplay`: file replay through the engine, for `matching-bench --input`.
//
// Decisions
// - Rule checks (session open, method enabled in the phase, price and quantity shape, tick,
//   lot, size, band, block counterparty, auction state) run at *submit*: the participant hears
//   at once, and the rules apply as of the moment the order was sent. The hold is requested by
//   the registry/settlement from the same `market.orders` record regardless, so they release it
//   on `OrderRejected`; `OrderRejected.hold` says whether matching had seen the hold (`placed`),
//   not yet (`notPlaced`), or the hold itself was refused (`refused`). What depends on the book
//   at admission (self-trade, the auction being open, the ladder span) is checked when the hold
//   arrives, with `hold: .placed`.
// - Anything that releases a hold for an order whose hold has not come yet (a cancel, the
//   session close) waits for the hold, then emits `Cancelled`/`Expired`, so a release is never
//   seen before the hold it releases.
// - A hold arriving before its order is remembered (`earlyHolds`) until the order comes or the
//   last open session closes.
// - Refusals that are not about an order's fate (duplicate order id, cancel of an unknown or
//   finished order, session commands) are `CommandRejected`, never `OrderRejected`, so that no
//   other order's hold is released by mistake.
// - Closing price: VWAP of the day's listed trades, rounded half-up to a fen; open/high/low also
//   from listed trades; block and auction trades count in volume and turnover only. With no
//   listed trade every price is the session's reference (the previous close).
// - Band: half-width = reference x basis points / 10,000 rounded down (never wider than the
//   percentage); both edges allowed.
// - Trade ids: instrument, trading day and a per-session sequence (`CEA-2026-07-16-000042`).
// - Determinism: no hash-table iteration reaches the outputs; state is `Codable` and
//   `Equatable`, so a snapshot plus the tail of the inputs reproduces the same outputs.
