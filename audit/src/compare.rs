//! Locating tampering: compares the links a partition had when sealed with the links the log
//! gives now, event by event, and names every altered, deleted, inserted, reordered or
//! shifted event.

use crate::chain::Link;
use crate::finding::{Finding, Problem};
use std::collections::HashMap;
use uuid::Uuid;

/// Compares one partition's `sealed` links (chain order) with its `now` links (log order).
/// With `read_to` set (the log could not be read past that offset), sealed events after it
/// are not reported as deleted: they were not checked.
pub fn locate(partition: u32, sealed: &[Link], now: &[Link], read_to: Option<u64>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let sealed_at: HashMap<Uuid, usize> = sealed.iter().enumerate().map(|(i, l)| (l.event_id, i)).collect();
    let now_at: HashMap<Uuid, usize> = now.iter().enumerate().map(|(i, l)| (l.event_id, i)).collect();
    for s in sealed {
        match now_at.get(&s.event_id).map(|&i| &now[i]) {
            None if read_to.is_some_and(|end| s.offset > end) => {}
            None => findings.push(
                Finding::new(Problem::Deleted, "this sealed event is no longer in the log")
                    .at(partition, s.offset)
                    .event(s.event_id),
            ),
            Some(n) if n.digest != s.digest => findings.push(
                Finding::new(Problem::Altered, format!("its content differs from what was sealed (sealed digest {}, now {})", short(&s.digest), short(&n.digest)))
                    .at(partition, n.offset)
                    .event(n.event_id),
            ),
            Some(_) => {}
        }
    }
    // Events never sealed that stand before the end of the sealed part of the log.
    let sealed_end_offset = sealed.last().map(|l| l.offset);
    let sealed_end_index = now.iter().rposition(|l| sealed_at.contains_key(&l.event_id));
    for (i, n) in now.iter().enumerate() {
        let among_sealed = sealed_end_index.is_some_and(|end| i < end) || sealed_end_offset.is_some_and(|end| n.offset <= end);
        if among_sealed && !sealed_at.contains_key(&n.event_id) {
            findings.push(
                Finding::new(Problem::Inserted, "this event was never sealed but stands among sealed events")
                    .at(partition, n.offset)
                    .event(n.event_id),
            );
        }
    }
    // Sealed events still present, in log order, with their sealed index.
    let common: Vec<(usize, &Link)> = now.iter().filter_map(|n| sealed_at.get(&n.event_id).map(|&i| (i, n))).collect();
    let in_order = longest_increasing(&common.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    let mut shifted: Vec<(&Link, &Link)> = Vec::new();
    for (k, (i, n)) in common.iter().enumerate() {
        let s = &sealed[*i];
        if !in_order[k] {
            findings.push(
                Finding::new(Problem::Reordered, format!("sealed as event #{} of the partition at offset {}, it now stands out of that order", i + 1, s.offset))
                    .at(partition, n.offset)
                    .event(n.event_id),
            );
        } else if s.offset != n.offset {
            shifted.push((s, n));
        }
    }
    // Renumbering alone is worth a finding; as a consequence of the above it is noise.
    if let Some((s, n)) = shifted.first().filter(|_| findings.is_empty()) {
        findings.push(
            Finding::new(Problem::Shifted, format!("{} sealed event(s) stand at other offsets than sealed; this one was sealed at offset {}", shifted.len(), s.offset))
                .at(partition, n.offset)
                .event(n.event_id),
        );
    }
    findings
}

/// Marks the members of one longest strictly increasing subsequence of `values`
/// (patience sorting, O(n log n)); the others are the ones that moved.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // index into values of the smallest tail per length
    let mut parent: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let len = tails.partition_point(|&t| values[t] < v);
        parent[i] = len.checked_sub(1).map(|l| tails[l]);
        if len == tails.len() {
            tails.push(i);
        } else {
            tails[len] = i;
        }
    }
    let mut member = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        member[i] = true;
        at = parent[i];
    }
    member
}

fn short(hash: &[u8; 32]) -> String {
    hex::encode(&hash[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(ids: &[(u128, u64, u8)]) -> Vec<Link> {
        ids.iter().map(|&(id, offset, d)| Link { partition: 0, offset, event_id: Uuid::from_u128(id), digest: [d; 32] }).collect()
    }

    fn problems(found: &[Finding]) -> Vec<(Problem, Option<u64>)> {
        found.iter().map(|f| (f.problem, f.offset)).collect()
    }

    #[test]
    fn each_kind_of_tampering_is_named_where_it_happened() {
        let sealed = links(&[(1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4)]);
        assert!(locate(0, &sealed, &sealed, None).is_empty());
        let altered = links(&[(1, 1, 1), (2, 2, 9), (3, 3, 3), (4, 4, 4)]);
        assert_eq!(problems(&locate(0, &sealed, &altered, None)), [(Problem::Altered, Some(2))]);
        let deleted = links(&[(1, 1, 1), (2, 2, 2), (4, 4, 4)]);
        assert_eq!(problems(&locate(0, &sealed, &deleted, None)), [(Problem::Deleted, Some(3))]);
        let swapped = links(&[(1, 1, 1), (3, 2, 3), (2, 3, 2), (4, 4, 4)]);
        assert_eq!(problems(&locate(0, &sealed, &swapped, None)), [(Problem::Reordered, Some(2))]);
        let inserted = links(&[(1, 1, 1), (2, 2, 2), (9, 3, 9), (3, 4, 3), (4, 5, 4)]);
        assert_eq!(problems(&locate(0, &sealed, &inserted, None)), [(Problem::Inserted, Some(3))]);
        let renumbered = links(&[(1, 1, 1), (2, 2, 2), (3, 4, 3), (4, 5, 4)]);
        assert_eq!(problems(&locate(0, &sealed, &renumbered, None)), [(Problem::Shifted, Some(4))]);
        let appended = links(&[(1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4), (5, 5, 5)]);
        assert!(locate(0, &sealed, &appended, None).is_empty(), "events after the seal are not findings");
        let cut = links(&[(1, 1, 1), (2, 2, 2)]);
        assert!(locate(0, &sealed, &cut, Some(2)).is_empty(), "unread events are not called deleted");
    }

    #[test]
    fn the_longest_increasing_run_keeps_most_events_in_place() {
        assert_eq!(longest_increasing(&[0, 1, 3, 2, 4]), [true, true, false, true, true]);
        assert_eq!(longest_increasing(&[3, 0, 1, 2]), [false, true, true, true]);
        assert!(longest_increasing(&[]).is_empty());
    }
}
