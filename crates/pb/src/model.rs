//! Data model of a participatory-budgeting election (pabulib view) and the
//! deduplicated, weighted approval profile the rules work on.

use std::collections::{BTreeMap, HashMap};

/// How voters expressed their preferences (`vote_type` in the META section).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    Approval,
    Cumulative,
    Ordinal,
    Scoring,
    #[serde(rename = "choose-1")]
    Choose1,
}

impl VoteType {
    /// The pabulib spelling of this vote type.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::Cumulative => "cumulative",
            VoteType::Ordinal => "ordinal",
            VoteType::Scoring => "scoring",
            VoteType::Choose1 => "choose-1",
        }
    }

    /// Parses the pabulib spelling (case-insensitive; `choose1` accepted).
    pub fn from_pabulib(s: &str) -> Option<VoteType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approval" => Some(VoteType::Approval),
            "cumulative" => Some(VoteType::Cumulative),
            "ordinal" => Some(VoteType::Ordinal),
            "scoring" => Some(VoteType::Scoring),
            "choose-1" | "choose1" | "choose_1" => Some(VoteType::Choose1),
            _ => None,
        }
    }
}

/// One project (a row of the PROJECTS section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Project id; ids are text (`"BO.OM.97/24"`, `"10"` sorts before `"9"`).
    pub id: String,
    /// Cost in the smallest unit of the election (`currency * Election::scale`).
    pub cost: u64,
    /// `name` column (empty if absent).
    pub name: String,
    /// `category` column split on commas.
    pub category: Vec<String>,
    /// `target` column split on commas.
    pub target: Vec<String>,
    /// `selected` column: 0 = not funded, 1 = funded; some files use 2–3 for
    /// special cases (see [`Project::is_selected`]). `None` if no such column.
    pub selected: Option<u8>,
    /// Every other column, verbatim (`votes`, `score`, `latitude`, …).
    pub extra: BTreeMap<String, String>,
}

impl Project {
    /// Whether the file marks the project as funded (`selected` ≥ 1).
    pub fn is_selected(&self) -> bool {
        matches!(self.selected, Some(s) if s > 0)
    }
}

/// One ballot (a row of the VOTES section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub voter_id: String,
    /// Indices into [`Election::projects`], in the order listed on the ballot
    /// (for ordinal ballots this is the ranking), without duplicates.
    pub approved: Vec<usize>,
    /// Points per entry of `approved` (cumulative / scoring ballots).
    pub points: Option<Vec<u64>>,
    /// Every other column, verbatim (`age`, `sex`, `voting_method`, …).
    pub extra: BTreeMap<String, String>,
}

/// A whole election as read from a `.pb` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    /// The META section, verbatim (the `budget` value keeps its original text).
    pub meta: BTreeMap<String, String>,
    /// Budget limit in the smallest unit (`currency * scale`).
    pub budget: u64,
    /// Money scale: costs and budget are stored multiplied by this power of
    /// ten so that decimal amounts (`1234.5`) stay exact integers. Usually 1.
    pub scale: u64,
    pub vote_type: VoteType,
    pub projects: Vec<Project>,
    pub ballots: Vec<Ballot>,
    /// Column names of the PROJECTS section, in file order.
    pub project_columns: Vec<String>,
    /// Column names of the VOTES section, in file order.
    pub vote_columns: Vec<String>,
}

impl Election {
    /// Index of the project with this id.
    pub fn project_index(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// Ids of the projects the file marks as selected (funded), in file order.
    pub fn file_selected(&self) -> Vec<String> {
        self.projects.iter().filter(|p| p.is_selected()).map(|p| p.id.clone()).collect()
    }

    /// Number of approvals per project (approval view of every ballot).
    pub fn approval_counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.projects.len()];
        for b in &self.ballots {
            for &p in &b.approved {
                counts[p] += 1;
            }
        }
        counts
    }

    /// Total points per project; a ballot without points gives 1 point to
    /// each project it lists.
    pub fn point_totals(&self) -> Vec<u64> {
        let mut totals = vec![0u64; self.projects.len()];
        for b in &self.ballots {
            match &b.points {
                Some(pts) => {
                    for (&p, &x) in b.approved.iter().zip(pts) {
                        totals[p] = totals[p].saturating_add(x);
                    }
                }
                None => {
                    for &p in &b.approved {
                        totals[p] += 1;
                    }
                }
            }
        }
        totals
    }
}

/// The approval view of an election with identical ballots merged: each
/// distinct approval set appears once with its multiplicity. All rules run
/// on this, which is where most of the speed comes from.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Distinct approval sets (project indices, sorted ascending).
    pub ballots: Vec<Vec<u32>>,
    /// Multiplicity of each distinct ballot.
    pub weights: Vec<u64>,
    /// For each project, the indices of the distinct ballots approving it.
    pub supporters: Vec<Vec<u32>>,
    /// For each project, the number of voters approving it.
    pub approvals: Vec<u64>,
    /// Number of voters (including empty ballots).
    pub n_voters: u64,
}

impl Profile {
    pub fn new(election: &Election) -> Profile {
        let m = election.projects.len();
        let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut ballots: Vec<Vec<u32>> = Vec::new();
        let mut weights: Vec<u64> = Vec::new();
        let mut key: Vec<u32> = Vec::new();
        for b in &election.ballots {
            key.clear();
            key.extend(b.approved.iter().map(|&p| p as u32));
            key.sort_unstable();
            key.dedup();
            match index.get(key.as_slice()) {
                Some(&i) => weights[i] += 1,
                None => {
                    index.insert(key.clone(), ballots.len());
                    ballots.push(key.clone());
                    weights.push(1);
                }
            }
        }
        let mut supporters = vec![Vec::new(); m];
        let mut approvals = vec![0u64; m];
        for (u, b) in ballots.iter().enumerate() {
            for &p in b {
                supporters[p as usize].push(u as u32);
                approvals[p as usize] += weights[u];
            }
        }
        Profile { ballots, weights, supporters, approvals, n_voters: election.ballots.len() as u64 }
    }
}
