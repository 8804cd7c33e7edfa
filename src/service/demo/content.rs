//! What a generated tracker says: people's and projects' names, components, versions,
//! labels, and the summaries, descriptions (with wiki markup) and comment threads of
//! issues, so a demo reads like a real team's tracker. Pure: everything comes from the
//! seeded [`Rng`], so a seed always gives the same text.

/// xorshift64*: fast, deterministic, good enough for synthetic data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub(super) fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// A number in `0..1`.
    pub(super) fn fraction(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// An index drawn with the given weights.
    pub(super) fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut r = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

const FIRST: [&str; 64] = [
    "Olivia", "Liam", "Priya", "Mateo", "Sofia", "Noah", "Aisha", "Lucas", "Mei", "Ethan",
    "Fatima", "Jonas", "Chloe", "Arjun", "Emma", "Diego", "Hana", "Oliver", "Zara", "Samuel",
    "Ingrid", "Kwame", "Laura", "Tomás", "Yuki", "Daniel", "Amara", "Felix", "Nora", "Ravi",
    "Elena", "Owen", "Leila", "Marcus", "Anna", "Kenji", "Grace", "Ibrahim", "Sara", "Henrik",
    "Chen", "Isabel", "Malik", "Julia", "Pedro", "Astrid", "Omar", "Clara", "Viktor", "Nadia",
    "Ben", "Lucia", "Tariq", "Maya", "Erik", "Rosa", "Adam", "Ines", "Jakub", "Alice", "Sipho",
    "Freya", "Luca", "Ada",
];
const LAST: [&str; 64] = [
    "Sharma",
    "Garcia",
    "Müller",
    "Okafor",
    "Chen",
    "Nguyen",
    "Johansson",
    "Rossi",
    "Kowalski",
    "Smith",
    "Tanaka",
    "Haddad",
    "Silva",
    "Novak",
    "Dubois",
    "Kim",
    "Patel",
    "Jensen",
    "Moreau",
    "Hughes",
    "Fischer",
    "Mensah",
    "Lopez",
    "Ivanova",
    "Larsen",
    "Costa",
    "Yilmaz",
    "Schmidt",
    "Bianchi",
    "O'Brien",
    "Andersen",
    "Khan",
    "Sato",
    "Martin",
    "Wójcik",
    "Brown",
    "Eriksson",
    "Fernandes",
    "Weber",
    "Nakamura",
    "Adeyemi",
    "Walsh",
    "Horvat",
    "Park",
    "Lindqvist",
    "Ortiz",
    "Becker",
    "Rahman",
    "Murphy",
    "Santos",
    "Kovacs",
    "Dvořák",
    "Bauer",
    "Ali",
    "Nielsen",
    "Romano",
    "Clarke",
    "Varga",
    "Mendes",
    "Hoffmann",
    "Reyes",
    "Popescu",
    "Takahashi",
    "Wright",
];

/// A person: (username, display name, email).
pub(super) fn person(i: usize) -> (String, String, String) {
    // Walks first × last names without repeating a pair before all were used.
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
    let round = i / (FIRST.len() * LAST.len());
    let plain = |s: &str| -> String {
        s.chars()
            .filter_map(|c| match c {
                'á' | 'à' => Some('a'),
                'é' | 'ě' => Some('e'),
                'ó' => Some('o'),
                'ü' => Some('u'),
                'ř' => Some('r'),
                'ć' => Some('c'),
                c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect()
    };
    let mut username = format!("{}.{}", plain(first), plain(last));
    if round > 0 {
        username.push_str(&(round + 1).to_string());
    }
    let email = format!("{username}@example.com");
    (username, format!("{first} {last}"), email)
}

const PROJECTS: [(&str, &str); 30] = [
    ("Payments Platform", "PAY"),
    ("Mobile App", "MOB"),
    ("Web Storefront", "WEB"),
    ("Data Pipeline", "DATA"),
    ("Identity and Access", "IAM"),
    ("Customer Portal", "PORT"),
    ("Search Service", "SRCH"),
    ("Notifications", "NOTI"),
    ("Billing", "BILL"),
    ("Internal Tools", "TOOL"),
    ("Design System", "DS"),
    ("Infrastructure", "INFRA"),
    ("Analytics", "ANL"),
    ("Support Desk", "SUP"),
    ("Growth Experiments", "GROW"),
    ("Security Engineering", "SEC"),
    ("Platform API", "API"),
    ("Checkout", "CHK"),
    ("Marketing Site", "MKT"),
    ("Onboarding", "ONB"),
    ("Reporting", "REP"),
    ("Integrations", "INT"),
    ("Developer Experience", "DX"),
    ("Release Engineering", "REL"),
    ("Recommendations", "RECO"),
    ("Inventory", "INV"),
    ("Logistics", "LOGI"),
    ("Partner API", "PAPI"),
    ("Desktop Client", "DESK"),
    ("QA Automation", "QA"),
];
const REGIONS: [&str; 8] = [
    "EU",
    "US",
    "APAC",
    "LATAM",
    "Labs",
    "Next",
    "Legacy",
    "Enterprise",
];

/// The `i`-th project's key and name: real-sounding, unique for any `i`.
pub fn project(i: usize) -> (String, String) {
    let (name, key) = PROJECTS[i % PROJECTS.len()];
    match i / PROJECTS.len() {
        0 => (key.to_string(), name.to_string()),
        round => (
            format!("{key}{}", round + 1),
            format!("{name} {}", REGIONS[(round - 1) % REGIONS.len()]),
        ),
    }
}

pub(super) const COMPONENTS: [&str; 14] = [
    "Backend",
    "Frontend",
    "API",
    "Database",
    "Authentication",
    "Notifications",
    "Search",
    "Mobile",
    "Infrastructure",
    "Reporting",
    "Integrations",
    "Billing",
    "Accessibility",
    "Documentation",
];

/// A project's release names, oldest first.
pub(super) fn versions(p: usize, n: usize) -> Vec<String> {
    let major = 1 + p % 4;
    (0..n).map(|v| format!("{major}.{v}.0")).collect()
}

/// Labels a team uses again and again; bugs lean to the first few.
pub(super) const LABELS: [&str; 12] = [
    "regression",
    "customer-reported",
    "needs-triage",
    "performance",
    "security",
    "tech-debt",
    "ux",
    "frontend",
    "backend",
    "flaky-test",
    "release-blocker",
    "documentation",
];

const AREAS: [&str; 24] = [
    "login page",
    "search results",
    "CSV export",
    "invoice PDF",
    "file upload",
    "profile settings",
    "dashboard",
    "weekly report",
    "calendar sync",
    "shopping cart",
    "password reset",
    "notification email",
    "checkout flow",
    "session handling",
    "audit log",
    "nightly backup",
    "webhook delivery",
    "dark theme",
    "iOS app",
    "Android app",
    "admin console",
    "REST API",
    "onboarding wizard",
    "activity feed",
];
const SYMPTOMS: [&str; 14] = [
    "shows a blank page",
    "is slow",
    "times out",
    "shows the wrong totals",
    "crashes",
    "loses unsaved changes",
    "returns 500",
    "renders badly on small screens",
    "ignores the time zone",
    "sends duplicate emails",
    "leaks memory",
    "rejects valid input",
    "flickers",
    "hangs",
];
const TRIGGERS: [&str; 12] = [
    "after a password change",
    "with more than 1000 rows",
    "in Safari",
    "when the network drops",
    "for users in another time zone",
    "on first login",
    "after the last deploy",
    "with a coupon applied",
    "when two tabs are open",
    "on slow connections",
    "for archived projects",
    "with non-ASCII names",
];
const GOALS: [(&str, &str); 14] = [
    ("an admin", "export the audit log as CSV"),
    ("a customer", "save a card for later payments"),
    ("a team lead", "see the team's open work on one page"),
    ("a new user", "sign in with Google"),
    ("a support agent", "see a customer's recent orders"),
    ("a developer", "create API tokens with limited scopes"),
    ("a manager", "get a weekly summary by email"),
    ("a customer", "download past invoices"),
    ("an admin", "require two-factor authentication"),
    ("a user", "filter search results by date"),
    ("a user", "switch to a dark theme"),
    ("a customer", "track a delivery"),
    ("an analyst", "schedule a report"),
    ("a user", "undo a deleted comment"),
];
const CHORES: [&str; 14] = [
    "Upgrade the PostgreSQL driver",
    "Add alerts for the payment queue",
    "Remove the legacy feature flags",
    "Move the nightly jobs to the new scheduler",
    "Rotate the staging certificates",
    "Document the deploy runbook",
    "Split the monolith's user module",
    "Add tracing to the checkout service",
    "Clean up unused database indexes",
    "Update the privacy policy page",
    "Migrate CI to the new runners",
    "Write load tests for search",
    "Bump the Node.js version",
    "Archive old S3 buckets",
];
const EPICS: [&str; 16] = [
    "Checkout redesign",
    "Single sign-on with SAML",
    "Performance push",
    "Accessibility audit fixes",
    "Self-service billing",
    "Mobile offline mode",
    "GDPR data export",
    "New onboarding flow",
    "Search relevance",
    "Platform reliability",
    "Reporting 2.0",
    "Public API v2",
    "Notification preferences",
    "Dark mode",
    "Multi-currency support",
    "Audit logging",
];

/// The kind of issue a text is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Epic,
    Story,
    Task,
    Bug,
}

/// A summary, and a description in wiki markup (empty for some issues).
pub(super) fn issue_text(rng: &mut Rng, kind: Kind, component: &str) -> (String, String) {
    let area = rng.pick(&AREAS);
    match kind {
        Kind::Epic => {
            let name = rng.pick(&EPICS);
            let d = format!(
                "h2. Goal\n{name} for the {area} and everything around it.\n\nh3. Scope\n* {}\n* {}\n* Rollout behind a feature flag\n\nh3. Out of scope\n* Changes to the {} component\n\nDesign: [Figma|https://figma.example.com/file/{}]",
                capital(GOALS[rng.below(GOALS.len() as u64) as usize].1),
                capital(GOALS[rng.below(GOALS.len() as u64) as usize].1),
                rng.pick(&COMPONENTS),
                rng.below(90_000) + 10_000
            );
            (name.to_string(), d)
        }
        Kind::Bug => {
            let symptom = rng.pick(&SYMPTOMS);
            let trigger = rng.pick(&TRIGGERS);
            let summary = format!("{} {symptom} {trigger}", capital(area));
            if rng.chance(15) {
                return (summary, String::new());
            }
            let mut d = format!(
                "h3. Steps to reproduce\n# Open the {area}\n# Try it {}\n# Wait a few seconds\n\nh3. Expected\nThe {area} works as usual.\n\nh3. Actual\nIt {symptom}.",
                trigger
            );
            if rng.chance(40) {
                d.push_str(&format!(
                    "\n\n{{code:java}}\njava.lang.IllegalStateException: {component} not ready\n    at com.example.{}.Handler.handle(Handler.java:{})\n{{code}}",
                    component.to_lowercase().replace(' ', ""),
                    rng.below(400) + 20
                ));
            }
            if rng.chance(30) {
                d.push_str("\n\n*Workaround:* reload the page.");
            }
            (summary, d)
        }
        Kind::Story => {
            let (who, what) = GOALS[rng.below(GOALS.len() as u64) as usize];
            let summary = format!("As {who}, I can {what}");
            let d = format!(
                "h3. Why\n{} ask for this every week in support tickets.\n\nh3. Acceptance criteria\n* {} from the {area}\n* Works on mobile\n* _Empty state_ explains what to do next\n\n||Case||Expected||\n|No data|A friendly message|\n|Error|A retry button|",
                capital(&plural(who)),
                capital(what)
            );
            (summary, d)
        }
        Kind::Task => {
            let summary = rng.pick(&CHORES).to_string();
            if rng.chance(25) {
                return (summary, String::new());
            }
            let d = format!(
                "Part of keeping the {component} healthy.\n\n* Check the dashboards before and after\n* Announce in #eng-{}\n\n{{noformat}}\nmake deploy ENV=staging\n{{noformat}}",
                component.to_lowercase().replace(' ', "-")
            );
            (summary, d)
        }
    }
}

/// One comment of a thread on an issue: the first asks or reports, later ones answer
/// (mentioning the previous author in wiki markup).
pub(super) fn comment(rng: &mut Rng, index: usize, kind: Kind, previous: Option<&str>) -> String {
    const OPENERS: [&str; 8] = [
        "I can reproduce this on staging.",
        "Is this still happening after the last deploy?",
        "Customers have reported this three times this week.",
        "I looked into it: the root cause is in the retry logic.",
        "Do we have logs from the time it happened?",
        "This blocks the release, raising the priority.",
        "Added a screenshot of what I see.",
        "Could this be related to the cache change?",
    ];
    const REPLIES: [&str; 10] = [
        "good catch, I'll take a look today.",
        "yes, still there on *production* too.",
        "I pushed a fix, see the linked pull request.",
        "can we split this into two tickets?",
        "the logs are attached.",
        "agreed, let's discuss it in the stand-up.",
        "I couldn't reproduce it locally, any more details?",
        "the fix is deployed to staging, please verify.",
        "verified, works for me now.",
        "moving this to the next sprint.",
    ];
    let _ = kind;
    match (index, previous) {
        (0, _) | (_, None) => rng.pick(&OPENERS).to_string(),
        (_, Some(who)) => format!("[~{who}] {}", rng.pick(&REPLIES)),
    }
}

/// Attachment files some issues carry: (file name, MIME type, content).
pub(super) fn attachment_files() -> Vec<(&'static str, &'static str, String)> {
    let log: String = (0..40)
        .map(|i| {
            format!(
                "2026-11-{:02}T10:{:02}:{:02}Z {} request id={i:04} took {}ms\n",
                1 + i % 28,
                i % 60,
                (i * 7) % 60,
                if i % 9 == 0 { "WARN" } else { "INFO" },
                20 + (i * 37) % 900
            )
        })
        .collect();
    vec![
        ("server.log", "text/plain", log),
        (
            "export.csv",
            "text/csv",
            "id,customer,total,currency\n1,Acme,120.50,EUR\n2,Globex,99.00,USD\n3,Initech,15.25,GBP\n"
                .into(),
        ),
        (
            "config.yaml",
            "application/x-yaml",
            "server:\n  port: 8080\n  timeout: 30s\ncache:\n  size: 512MB\n".into(),
        ),
        (
            "response.json",
            "application/json",
            "{\"error\": {\"code\": 500, \"message\": \"upstream timed out\"}}\n".into(),
        ),
        (
            "steps.txt",
            "text/plain",
            "1. Sign in as a customer\n2. Add two items to the cart\n3. Remove one\n4. The total is not updated\n"
                .into(),
        ),
    ]
}

fn capital(s: &str) -> String {
    // `iOS` stays as it is.
    if s.chars().nth(1).is_some_and(char::is_uppercase) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn plural(who: &str) -> String {
    let bare = who
        .strip_prefix("an ")
        .or_else(|| who.strip_prefix("a "))
        .unwrap_or(who);
    format!("{bare}s")
}
