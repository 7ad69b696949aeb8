# Writes a demo data set as JSON lines, {"key": "...", "value": <json>} one a line, the input
# of `bitcask import DIR --jsonl FILE`: users, orders, sessions and configuration entries, with
# realistic shapes (nested objects, arrays, numbers, booleans, null, non-ASCII text).
# Deterministic for a given seed. Portable awk (mawk, gawk, busybox awk).
#
#   awk -f scripts/make_demo_jsonl.awk [-v users=1500] [-v orders=2500] [-v sessions=900] \
#       [-v seed=20240601] > demo.jsonl

function pick(list,    parts, n) {
  n = split(list, parts, "|")
  return parts[1 + int(rand() * n)]
}
function between(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }
function q(s) {
  gsub(/\\/, "\\\\", s)
  gsub(/"/, "\\\"", s)
  return "\"" s "\""
}
# ISO 8601 UTC time of `t` seconds since the Unix epoch (proleptic Gregorian calendar).
function iso(t,    days, secs, z, era, doe, yoe, y, doy, mp, d, m) {
  days = int(t / 86400)
  secs = t - days * 86400
  z = days + 719468
  era = int(z / 146097)
  doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400
  doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153)
  d = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9
  if (m <= 2) y++
  return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, int(secs / 3600),
                 int((secs % 3600) / 60), secs % 60)
}
function hex(n,    s, i) {
  s = ""
  for (i = 0; i < n; i++) s = s sprintf("%x", int(rand() * 16))
  return s
}
function line(key, value) { printf "{\"key\": %s, \"value\": %s}\n", q(key), value }

BEGIN {
  if (users == "") users = 1500
  if (orders == "") orders = 2500
  if (sessions == "") sessions = 900
  if (seed == "") seed = 20240601
  srand(seed)

  first = "Anna|Ben|Chloé|David|Emma|Felix|Grace|Hugo|Ines|Jonas|Karin|Liam|Maria|Noah|Olga|" \
          "Paul|Quinn|Rosa|Sven|Tara|Uwe|Vera|Wei|Yuki|Zoë|José|Łukasz|Søren|Aisha|Mateo"
  last = "Müller|Smith|García|Rossi|Nowak|Jensen|Dubois|Tanaka|Silva|Novak|Kowalski|Brown|" \
         "Schmidt|Martin|Ivanova|Chen|Okafor|Larsen|Costa|Fischer|Weber|Moreau|Sato|Haddad"
  countries = "DE|FR|ES|IT|PL|DK|NL|US|GB|JP|BR|SE|AT|CZ|PT"
  plans = "free|free|free|pro|pro|team|enterprise"
  tags = "beta|newsletter|vip|churn-risk|support|mobile|desktop|early-adopter"
  products = "SKU-1001 Notebook A5|SKU-1002 Fountain pen|SKU-1003 Desk lamp|SKU-1004 USB-C hub|" \
             "SKU-1005 Headphones|SKU-1006 Coffee beans 1kg|SKU-1007 Backpack|" \
             "SKU-1008 Mechanical keyboard|SKU-1009 Monitor arm|SKU-1010 Water bottle|" \
             "SKU-1011 Phone case|SKU-1012 Sticker pack"
  statuses = "pending|paid|paid|shipped|shipped|delivered|delivered|delivered|cancelled|refunded"
  agents = "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0|" \
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0|" \
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Safari/17.2|" \
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Mobile/15E148|" \
           "bitcask-demo-client/1.4 (+cli)"
  t0 = 1672531200  # 2023-01-01T00:00:00Z
  span = 500 * 86400

  for (i = 1; i <= users; i++) {
    fn = pick(first); ln = pick(last)
    mail = tolower(fn "." ln)
    gsub(/[^a-z.]/, "", mail)  # ASCII local part
    ntags = int(rand() * 3)
    tl = ""
    for (j = 0; j < ntags; j++) tl = tl (j ? "," : "") q(pick(tags))
    created = t0 + int(rand() * span)
    line(sprintf("user:%05d", i),
         sprintf("{\"id\": %d, \"name\": %s, \"email\": %s, \"age\": %d, \"country\": %s, " \
                 "\"plan\": %s, \"tags\": [%s], \"active\": %s, \"score\": %.1f, " \
                 "\"created_at\": %s, \"last_login\": %s}",
                 i, q(fn " " ln), q(mail i "@example.com"), between(18, 79), q(pick(countries)),
                 q(pick(plans)), tl, rand() < 0.85 ? "true" : "false", rand() * 100,
                 q(iso(created)), rand() < 0.1 ? "null" : q(iso(created + int(rand() * 86400 * 60)))))
  }

  for (i = 1; i <= orders; i++) {
    nitems = between(1, 4)
    items = ""
    total = 0
    for (j = 0; j < nitems; j++) {
      p = pick(products)
      sku = substr(p, 1, 8); title = substr(p, 10)
      qty = between(1, 3)
      price = between(299, 14999) / 100
      total += qty * price
      items = items (j ? ", " : "") \
              sprintf("{\"sku\": %s, \"title\": %s, \"qty\": %d, \"price\": %.2f}", q(sku), q(title),
                      qty, price)
    }
    st = pick(statuses)
    line(sprintf("order:%06d", i),
         sprintf("{\"id\": %d, \"user\": %s, \"items\": [%s], \"total\": %.2f, \"currency\": %s, " \
                 "\"status\": %s, \"created_at\": %s, \"shipping\": {\"method\": %s, " \
                 "\"tracking\": %s}}",
                 i, q(sprintf("user:%05d", between(1, users))), items, total,
                 q(pick("EUR|EUR|EUR|USD|GBP")), q(st), q(iso(t0 + int(rand() * span))),
                 q(pick("standard|express|pickup")),
                 (st == "shipped" || st == "delivered") ? q("TRK" hex(10)) : "null"))
  }

  for (i = 1; i <= sessions; i++) {
    created = t0 + span - int(rand() * 14 * 86400)
    line("session:" hex(16),
         sprintf("{\"user\": %s, \"ip\": %s, \"user_agent\": %s, \"created_at\": %s, " \
                 "\"expires_at\": %s, \"mfa\": %s}",
                 q(sprintf("user:%05d", between(1, users))),
                 q(sprintf("10.%d.%d.%d", between(0, 255), between(0, 255), between(1, 254))),
                 q(pick(agents)), q(iso(created)), q(iso(created + 7 * 86400)),
                 rand() < 0.3 ? "true" : "false"))
  }

  line("config:app.name", q("Bitcask Demo Shop"))
  line("config:app.version", q("2.7.1"))
  line("config:app.banner", q("Summer sale: 20 % off everything — ends Sunday!"))
  line("config:maintenance_mode", "false")
  line("config:feature.dark_mode", "true")
  line("config:feature.new_checkout", "{\"enabled\": true, \"rollout_percent\": 25, " \
       "\"allow_countries\": [\"DE\", \"AT\", \"NL\"]}")
  line("config:feature.recommendations", "{\"enabled\": false, \"model\": null}")
  line("config:limits.max_upload_mb", "250")
  line("config:limits.rate_per_minute", "600")
  line("config:limits.session_ttl_hours", "168")
  line("config:pricing.vat", "{\"DE\": 0.19, \"FR\": 0.2, \"NL\": 0.21, \"GB\": 0.2}")
  line("config:smtp", "{\"host\": \"smtp.example.com\", \"port\": 587, \"tls\": true, " \
       "\"from\": \"shop@example.com\"}")
  line("config:legacy.api_v1", "{\"enabled\": true, \"sunset\": \"2024-06-30\"}")
  line("config:legacy.xml_export", "true")
  line("config:i18n.locales", "[\"en\", \"de\", \"fr\", \"es\", \"ja\"]")
  line("config:i18n.greeting.ja", q("ようこそ"))
  line("config:i18n.greeting.de", q("Willkommen, schön dass du da bist"))
  line("config:support.hours", q("Mon–Fri 09:00–18:00 CET"))
  line("config:empty_list", "[]")
  line("config:unset", "null")
}
