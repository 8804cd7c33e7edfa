//! What a request asked to see: the fields (`fields=`) and the expansions (`expand=`).

/// Which fields a request asked for: `*all`, `*navigable`, names, and `-name` exclusions.
pub struct FieldSelection {
    all: bool,
    navigable: bool,
    include: Vec<String>,
    exclude: Vec<String>,
}

impl FieldSelection {
    /// Parses `fields=`; `default` applies when the parameter is absent.
    pub fn parse(raw: &[String], default: &str) -> FieldSelection {
        let mut items: Vec<String> = raw.to_vec();
        // Only exclusions (`-description`) exclude from the default set, as Jira does.
        if items.iter().all(|i| i.starts_with('-')) {
            items.push(default.to_string());
        }
        let mut sel = FieldSelection {
            all: false,
            navigable: false,
            include: Vec::new(),
            exclude: Vec::new(),
        };
        for item in items {
            match item.as_str() {
                "*all" => sel.all = true,
                "*navigable" => sel.navigable = true,
                "*none" => {}
                s if s.starts_with('-') => sel.exclude.push(s[1..].to_string()),
                s => sel.include.push(s.to_string()),
            }
        }
        sel
    }

    pub fn wants(&self, id: &str, navigable: bool) -> bool {
        if self.exclude.iter().any(|e| e == id) {
            return false;
        }
        self.all || (self.navigable && navigable) || self.include.iter().any(|i| i == id)
    }
}

pub struct Expand(Vec<String>);

impl Expand {
    pub fn parse(raw: &[String]) -> Expand {
        Expand(raw.to_vec())
    }
    /// The same expansions less some: a search answers `names` and `schema` once for
    /// the page, not on every hit.
    pub fn without(&self, dropped: &[&str]) -> Expand {
        Expand(
            self.0
                .iter()
                .filter(|e| !dropped.contains(&e.as_str()))
                .cloned()
                .collect(),
        )
    }
    pub fn has(&self, what: &str) -> bool {
        self.0
            .iter()
            .any(|e| e == what || e.starts_with(&format!("{what}.")))
    }
}
