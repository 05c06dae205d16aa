//! The jury's arithmetic, pure and unit-tested: per-entry criterion averages, the weighted jury
//! score (1–5), per-judge completion, and the combined ranking that mixes the jury score with
//! the public vote at the organizer's ratio.
//!
//! Normalisation: the jury score maps 1–5 onto 0–1; the public vote is an entry's votes over
//! the most votes any entry got (0 when nobody voted). The combined score is
//! `jury_weight% × jury + (100 − jury_weight)% × votes`, shown as points out of 100. An entry no
//! judge scored counts 0 for its jury part (it still has its votes).
use std::collections::{HashMap, HashSet};

/// One stored score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    pub judge_id: String,
    pub video_id: String,
    pub criterion_id: String,
    pub score: i64,
}

/// A rubric criterion's identity and weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weighted {
    pub id: String,
    pub weight: i64,
}

/// What the jury said about one entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryTally {
    /// Average per criterion id (only criteria someone scored).
    pub averages: HashMap<String, f64>,
    /// Weighted mean of the criterion averages (1–5), `None` when nobody scored it.
    pub jury_score: Option<f64>,
    /// Judges who scored every criterion of it.
    pub complete_judges: usize,
}

/// Tallies per entry id.
pub fn tally(criteria: &[Weighted], scores: &[ScoreRow]) -> HashMap<String, EntryTally> {
    let known: HashSet<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
    // (video, criterion) → (sum, count); (video, judge) → criteria scored.
    let mut sums: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
    let mut per_judge: HashMap<(&str, &str), usize> = HashMap::new();
    for s in scores
        .iter()
        .filter(|s| known.contains(s.criterion_id.as_str()))
    {
        let e = sums
            .entry((s.video_id.as_str(), s.criterion_id.as_str()))
            .or_default();
        e.0 += s.score;
        e.1 += 1;
        *per_judge
            .entry((s.video_id.as_str(), s.judge_id.as_str()))
            .or_default() += 1;
    }
    let mut out: HashMap<String, EntryTally> = HashMap::new();
    for ((video, criterion), (sum, n)) in sums {
        out.entry(video.to_string())
            .or_default()
            .averages
            .insert(criterion.to_string(), sum as f64 / n as f64);
    }
    for ((video, _), n) in per_judge {
        if n == criteria.len() {
            out.entry(video.to_string()).or_default().complete_judges += 1;
        }
    }
    for t in out.values_mut() {
        let (mut num, mut den) = (0.0, 0.0);
        for c in criteria {
            if let Some(avg) = t.averages.get(&c.id) {
                num += avg * c.weight as f64;
                den += c.weight as f64;
            }
        }
        t.jury_score = (den > 0.0).then(|| num / den);
    }
    out
}

/// How many of `entries` each judge scored completely (every criterion).
pub fn completion(
    criteria: &[Weighted],
    scores: &[ScoreRow],
    entries: &HashSet<String>,
) -> HashMap<String, usize> {
    let known: HashSet<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
    let mut per: HashMap<(&str, &str), usize> = HashMap::new();
    for s in scores
        .iter()
        .filter(|s| known.contains(s.criterion_id.as_str()) && entries.contains(&s.video_id))
    {
        *per.entry((s.judge_id.as_str(), s.video_id.as_str()))
            .or_default() += 1;
    }
    let mut out: HashMap<String, usize> = HashMap::new();
    for ((judge, _), n) in per {
        if !criteria.is_empty() && n == criteria.len() {
            *out.entry(judge.to_string()).or_default() += 1;
        }
    }
    out
}

/// Combined points (0–100) from a jury score (1–5 or none), the entry's votes, the most votes
/// of any entry, and the jury's share in percent (0–100).
pub fn combined(jury_score: Option<f64>, votes: i64, max_votes: i64, jury_weight: i64) -> f64 {
    // In percent points, so that 70/30 of whole shares gives whole points.
    let w = jury_weight.clamp(0, 100) as f64;
    let jury = jury_score.map_or(0.0, |s| ((s - 1.0) / 4.0).clamp(0.0, 1.0));
    let public = if max_votes > 0 {
        (votes.max(0) as f64 / max_votes as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    w * jury + (100.0 - w) * public
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(j: &str, v: &str, c: &str, s: i64) -> ScoreRow {
        ScoreRow {
            judge_id: j.into(),
            video_id: v.into(),
            criterion_id: c.into(),
            score: s,
        }
    }

    fn rubric() -> Vec<Weighted> {
        vec![
            Weighted {
                id: "story".into(),
                weight: 3,
            },
            Weighted {
                id: "image".into(),
                weight: 1,
            },
        ]
    }

    #[test]
    fn averages_and_weights() {
        let scores = vec![
            row("j1", "a", "story", 5),
            row("j1", "a", "image", 1),
            row("j2", "a", "story", 3),
            row("j2", "a", "image", 3),
            // j3 only scored one criterion of a: not complete.
            row("j3", "a", "story", 4),
            // A score of a criterion no longer in the rubric is ignored.
            row("j1", "a", "gone", 1),
        ];
        let t = tally(&rubric(), &scores);
        let a = &t["a"];
        assert_eq!(a.averages["story"], 4.0);
        assert_eq!(a.averages["image"], 2.0);
        // (4 × 3 + 2 × 1) / 4 = 3.5
        assert_eq!(a.jury_score, Some(3.5));
        assert_eq!(a.complete_judges, 2);
        assert!(!t.contains_key("b"));
    }

    #[test]
    fn completion_counts_fully_scored_entries_per_judge() {
        let scores = vec![
            row("j1", "a", "story", 5),
            row("j1", "a", "image", 1),
            row("j1", "b", "story", 5),
            row("j2", "b", "story", 2),
            row("j2", "b", "image", 2),
            // An entry no longer eligible (hidden, rejected) does not count.
            row("j2", "x", "story", 2),
            row("j2", "x", "image", 2),
        ];
        let entries: HashSet<String> = ["a".to_string(), "b".to_string()].into();
        let c = completion(&rubric(), &scores, &entries);
        assert_eq!(c["j1"], 1);
        assert_eq!(c["j2"], 1);
    }

    #[test]
    fn the_mix_follows_the_organizers_ratio() {
        // 70/30: a perfect jury score and no votes → 70; no jury score, most votes → 30.
        assert_eq!(combined(Some(5.0), 0, 10, 70), 70.0);
        assert_eq!(combined(None, 10, 10, 70), 30.0);
        assert_eq!(combined(Some(3.0), 5, 10, 50), 50.0);
        // Nobody voted: only the jury counts, at its share.
        assert_eq!(combined(Some(1.0), 0, 0, 70), 0.0);
        // Jury only, public only.
        assert_eq!(combined(Some(5.0), 0, 3, 100), 100.0);
        assert_eq!(combined(Some(5.0), 3, 3, 0), 100.0);
        assert_eq!(combined(Some(5.0), 0, 3, 0), 0.0);
    }
}
