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
        self.tallies().0
    }

    /// Total points per project; a ballot without points gives 1 point to
    /// each project it lists.
    pub fn point_totals(&self) -> Vec<u64> {
        self.tallies().1
    }

    /// Approvals and total points per project, in one pass.
    pub fn tallies(&self) -> (Vec<u64>, Vec<u64>) {
        let m = self.projects.len();
        let mut approvals = vec![0u64; m];
        let mut points = vec![0u64; m];
        for b in &self.ballots {
            match &b.points {
                Some(pts) => {
                    for (&p, &x) in b.approved.iter().zip(pts) {
                        approvals[p] += 1;
                        points[p] = points[p].saturating_add(x);
                    }
                }
                None => {
                    for &p in &b.approved {
                        approvals[p] += 1;
                        points[p] += 1;
                    }
                }
            }
        }
        (approvals, points)
    }
}

/// The approval view of an election with identical ballots merged: each
/// distinct approval set appears once with its multiplicity. All rules run
/// on this, which is where most of the speed comes from. Sets and supporter
/// lists are stored flat (one allocation each).
#[derive(Debug, Clone)]
pub struct Profile {
    /// Distinct ballot `u` approves `ballot_projects[ballot_start[u]..ballot_start[u + 1]]`
    /// (project indices, ascending).
    ballot_projects: Vec<u32>,
    ballot_start: Vec<u32>,
    /// Multiplicity of each distinct ballot.
    pub weights: Vec<u64>,
    supporter_ids: Vec<u32>,
    supporter_start: Vec<u32>,
    /// For each project, the number of voters approving it.
    pub approvals: Vec<u64>,
    /// Number of voters (including empty ballots).
    pub n_voters: u64,
}

impl Profile {
    pub fn new(election: &Election) -> Profile {
        let m = election.projects.len();
        let (ballot_projects, ballot_start, weights) = if m <= 12 {
            dedupe_tiny(election)
        } else if m <= 64 {
            dedupe_masks::<u64>(election)
        } else if m <= 256 {
            dedupe_masks::<Mask>(election)
        } else {
            dedupe_large(election)
        };
        let mut approvals = vec![0u64; m];
        let mut counts = vec![0u32; m + 1];
        for u in 0..weights.len() {
            for &p in &ballot_projects[ballot_start[u] as usize..ballot_start[u + 1] as usize] {
                approvals[p as usize] += weights[u];
                counts[p as usize + 1] += 1;
            }
        }
        for p in 0..m {
            counts[p + 1] += counts[p];
        }
        let supporter_start = counts.clone();
        let mut supporter_ids = vec![0u32; ballot_projects.len()];
        for u in 0..weights.len() {
            for &p in &ballot_projects[ballot_start[u] as usize..ballot_start[u + 1] as usize] {
                supporter_ids[counts[p as usize] as usize] = u as u32;
                counts[p as usize] += 1;
            }
        }
        Profile {
            ballot_projects,
            ballot_start,
            weights,
            supporter_ids,
            supporter_start,
            approvals,
            n_voters: election.ballots.len() as u64,
        }
    }

    /// A profile holding only approval counts (enough for the greedy
    /// rules): there are no distinct ballots.
    pub fn from_counts(approvals: Vec<u64>, n_voters: u64) -> Profile {
        let m = approvals.len();
        Profile {
            ballot_projects: Vec::new(),
            ballot_start: vec![0],
            weights: Vec::new(),
            supporter_ids: Vec::new(),
            supporter_start: vec![0; m + 1],
            approvals,
            n_voters,
        }
    }

    /// Number of distinct ballots.
    pub fn n_ballots(&self) -> usize {
        self.weights.len()
    }

    /// Projects approved by distinct ballot `u` (ascending).
    pub fn ballot(&self, u: usize) -> &[u32] {
        &self.ballot_projects[self.ballot_start[u] as usize..self.ballot_start[u + 1] as usize]
    }

    /// Distinct ballots approving project `p` (ascending).
    pub fn supporters(&self, p: usize) -> &[u32] {
        &self.supporter_ids[self.supporter_start[p] as usize..self.supporter_start[p + 1] as usize]
    }
}

/// Multiply-xor hasher for the dedupe keys (keys are not adversarial:
/// at worst a slow-down).
#[derive(Default, Clone, Copy)]
struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        // murmur3's 64-bit finaliser: every output bit depends on every input bit.
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

type Mix = std::hash::BuildHasherDefault<MixHasher>;

type Flat = (Vec<u32>, Vec<u32>, Vec<u64>);

/// A 256-bit set of project indices, hashed in one step.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Mask([u64; 4]);

impl std::hash::Hash for Mask {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c, d] = self.0;
        state.write_u64(a ^ b.rotate_left(16) ^ c.rotate_left(32) ^ d.rotate_left(48) ^ b.wrapping_mul(3));
    }
}

/// Dedupe with a direct-addressed table over all `2^m` approval sets.
fn dedupe_tiny(election: &Election) -> Flat {
    let m = election.projects.len();
    let mut index = vec![u32::MAX; 1 << m];
    let mut weights: Vec<u64> = Vec::new();
    let mut masks: Vec<usize> = Vec::new();
    for b in &election.ballots {
        let mut key = 0usize;
        for &p in &b.approved {
            key |= 1 << p;
        }
        let slot = &mut index[key];
        if *slot == u32::MAX {
            *slot = weights.len() as u32;
            weights.push(0);
            masks.push(key);
        }
        weights[*slot as usize] += 1;
    }
    let mut projects: Vec<u32> = Vec::new();
    let mut start: Vec<u32> = vec![0];
    for mut bits in masks {
        while bits != 0 {
            projects.push(bits.trailing_zeros());
            bits &= bits - 1;
        }
        start.push(projects.len() as u32);
    }
    (projects, start, weights)
}

/// A set of project indices as a bitmask.
trait MaskKey: std::hash::Hash + Eq + Copy {
    fn empty() -> Self;
    fn words_mut(&mut self) -> &mut [u64];
    fn words(&self) -> &[u64];
}

impl MaskKey for u64 {
    fn empty() -> Self {
        0
    }
    fn words_mut(&mut self) -> &mut [u64] {
        std::slice::from_mut(self)
    }
    fn words(&self) -> &[u64] {
        std::slice::from_ref(self)
    }
}

impl MaskKey for Mask {
    fn empty() -> Self {
        Mask([0; 4])
    }
    fn words_mut(&mut self) -> &mut [u64] {
        &mut self.0
    }
    fn words(&self) -> &[u64] {
        &self.0
    }
}

/// Dedupe with project bitmasks as keys (the mask must hold `m` bits).
fn dedupe_masks<K: MaskKey>(election: &Election) -> Flat {
    let mut index: HashMap<K, u32, Mix> = HashMap::default();
    let mut projects: Vec<u32> = Vec::new();
    let mut start: Vec<u32> = vec![0];
    let mut weights: Vec<u64> = Vec::new();
    for b in &election.ballots {
        let mut key = K::empty();
        let words = key.words_mut();
        for &p in &b.approved {
            words[p / 64] |= 1 << (p % 64);
        }
        let next = weights.len() as u32;
        let i = *index.entry(key).or_insert(next);
        if i == next {
            for (w, &word) in key.words().iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    projects.push((w * 64) as u32 + bits.trailing_zeros());
                    bits &= bits - 1;
                }
            }
            start.push(projects.len() as u32);
            weights.push(1);
        } else {
            weights[i as usize] += 1;
        }
    }
    (projects, start, weights)
}

/// Dedupe with sorted project lists as keys.
fn dedupe_large(election: &Election) -> Flat {
    let mut index: HashMap<Vec<u32>, u32, Mix> = HashMap::default();
    let mut projects: Vec<u32> = Vec::new();
    let mut start: Vec<u32> = vec![0];
    let mut weights: Vec<u64> = Vec::new();
    let mut key: Vec<u32> = Vec::new();
    for b in &election.ballots {
        key.clear();
        key.extend(b.approved.iter().map(|&p| p as u32));
        key.sort_unstable();
        key.dedup();
        match index.get(key.as_slice()) {
            Some(&i) => weights[i as usize] += 1,
            None => {
                index.insert(key.clone(), weights.len() as u32);
                projects.extend_from_slice(&key);
                start.push(projects.len() as u32);
                weights.push(1);
            }
        }
    }
    (projects, start, weights)
}
