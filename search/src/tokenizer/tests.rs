//! Unit and property tests of the `netraven` tokenizer.

use super::*;
use proptest::prelude::*;

fn index(text: &str) -> Vec<String> {
    NetTokenizer::new(TokenizerMode::Index).token_texts(text)
}

fn query(text: &str) -> Vec<String> {
    NetTokenizer::new(TokenizerMode::Query).token_texts(text)
}

fn assert_has(text: &str, expected: &[&str]) {
    let tokens = index(text);
    for e in expected {
        assert!(tokens.iter().any(|t| t == e), "{text:?} lacks {e:?}: {tokens:?}");
    }
}

#[test]
fn ipv4_prefix_is_found_whole_as_address_as_network_and_by_leading_octets() {
    assert_has("ip address 10.0.0.1/24", &["10.0.0.1/24", "10.0.0.1", "10.0.0", "10.0.0.0/24", "ip", "address"]);
    assert_has("neighbor 192.168.1.17 remote-as 65001", &["192.168.1.17", "192.168.1", "remote-as", "remote", "65001"]);
    assert_has("ssh to 10.1.2.3:22 failed", &["10.1.2.3:22", "10.1.2.3", "22"]);
}

#[test]
fn ipv6_is_found_whole_canonical_and_as_network() {
    assert_has("ipv6 address 2001:DB8:0:0::1/64", &["2001:db8:0:0::1/64", "2001:db8:0:0::1", "2001:db8::1", "2001:db8::/64"]);
    assert_has("ping ::1", &["::1"]);
}

#[test]
fn interfaces_are_found_whole_by_name_number_and_other_spelling() {
    assert_has("Interface GigabitEthernet0/1 is up", &["gigabitethernet0/1", "gigabitethernet", "0/1", "gi0/1"]);
    assert_has("Gi0/2 down", &["gi0/2", "gigabitethernet0/2"]);
    assert_has("xe-0/0/0.0 up", &["xe-0/0/0.0", "xe", "0/0/0.0", "0/0/0"]);
    assert_has("Eth1/1 connected", &["eth1/1", "eth", "1/1"]);
    assert_has("Port-channel10", &["port-channel10", "po10", "10"]);
}

#[test]
fn macs_are_found_in_every_notation() {
    let all = ["00:1a:2b:3c:4d:5e", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", "001a2b3c4d5e"];
    for written in all {
        assert_has(&format!("learned {}", written.to_uppercase()), &all);
    }
}

#[test]
fn host_names_are_found_by_labels_and_domain() {
    assert_has("core-sw1.example.net unreachable", &["core-sw1.example.net", "core-sw1", "core", "sw1", "example", "net", "example.net"]);
    assert_has("description link-to-core-sw1.example.net", &["link-to-core-sw1.example.net", "core-sw1.example.net", "sw1.example.net"]);
}

#[test]
fn as_numbers_are_found_with_and_without_prefix() {
    assert_has("peer AS65001 established", &["as65001", "65001"]);
}

#[test]
fn plain_words_are_lowercased_and_kept_alone() {
    assert_eq!(index("Config SAVED, ok!"), ["config", "saved", "ok"]);
    assert_eq!(index("sw1 md5 ipv4"), ["sw1", "md5", "ipv4"]);
}

#[test]
fn query_mode_keeps_words_whole_with_their_positions() {
    assert_eq!(query("Interface Gi0/1 10.0.0.1/24"), ["interface", "gi0/1", "10.0.0.1/24"]);
    let mut tokenizer = NetTokenizer::new(TokenizerMode::Index);
    let mut stream = tokenizer.token_stream("a 10.0.0.1/24 b");
    let mut positions = Vec::new();
    while stream.advance() {
        positions.push((stream.token().text.clone(), stream.token().position));
    }
    assert!(positions.iter().all(|(t, p)| (t == "a") == (*p == 0) && (t == "b") == (*p == 2)), "{positions:?}");
}

/// A MAC's six hex pairs in one of its four notations: colons, dashes, Cisco dots, bare.
fn mac_in(hex: &[String], notation: usize) -> String {
    match notation {
        0 => hex.join(":"),
        1 => hex.join("-"),
        2 => format!("{}{}.{}{}.{}{}", hex[0], hex[1], hex[2], hex[3], hex[4], hex[5]),
        _ => hex.concat(),
    }
}

fn ipv4() -> impl Strategy<Value = [u8; 4]> {
    any::<[u8; 4]>()
}

proptest! {
    #[test]
    fn never_panics_and_offsets_slice_the_text(text in "\\PC{0,80}") {
        let mut tokenizer = NetTokenizer::new(TokenizerMode::Index);
        let mut stream = tokenizer.token_stream(&text);
        while stream.advance() {
            let t = stream.token();
            prop_assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            prop_assert!(t.offset_from < t.offset_to && t.offset_to <= text.len());
            prop_assert_eq!(t.text.to_lowercase(), t.text.clone());
        }
    }

    #[test]
    fn every_query_token_of_a_text_is_one_of_its_index_tokens(text in "[a-zA-Z0-9 ./:_,-]{0,60}") {
        let indexed = index(&text);
        for q in query(&text) {
            prop_assert!(indexed.contains(&q), "{:?} not in {:?}", q, indexed);
        }
    }

    #[test]
    fn any_ipv4_prefix_is_found_by_address_and_leading_octets(a in ipv4(), len in 0u8..=32) {
        let addr = format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
        let tokens = index(&format!("ip {addr}/{len} up"));
        let three = format!("{}.{}.{}", a[0], a[1], a[2]);
        prop_assert!(tokens.contains(&addr) && tokens.contains(&three), "{:?}", tokens);
        let net = u32::from_be_bytes(a) & if len == 0 { 0 } else { u32::MAX << (32 - len) };
        let network = format!("{}/{}", std::net::Ipv4Addr::from(net), len);
        prop_assert!(tokens.contains(&network), "{:?}", tokens);
    }

    #[test]
    fn any_mac_notation_finds_every_other(bytes in any::<[u8; 6]>(), notation in 0usize..4) {
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
        let written = mac_in(&hex, notation);
        let tokens = index(&format!("mac {written} learned"));
        prop_assert!(tokens.contains(&hex.join(":").to_lowercase()), "{:?}", tokens);
        prop_assert!(tokens.contains(&hex.concat().to_lowercase()), "{:?}", tokens);
    }

    #[test]
    fn any_slotted_interface_is_found_by_name_and_number(
        name in prop::sample::select(vec!["GigabitEthernet", "TenGigabitEthernet", "xe-", "ge-", "Eth", "Ethernet"]),
        slots in prop::collection::vec(0u8..48, 2..4),
    ) {
        let number = slots.iter().map(u8::to_string).collect::<Vec<_>>().join("/");
        let tokens = index(&format!("interface {name}{number} up"));
        let bare = name.trim_end_matches('-').to_lowercase();
        prop_assert!(tokens.contains(&format!("{}{number}", name.to_lowercase())), "{:?}", tokens);
        prop_assert!(tokens.contains(&bare) && tokens.contains(&number), "{:?}", tokens);
    }
}

/// Tantivy's snippet generator starts a fragment at a token and subtracts that start from
/// every later token's end, so no token may end before an earlier one starts.
fn assert_offsets_never_go_back(text: &str) {
    let mut tokenizer = NetTokenizer::new(TokenizerMode::Index);
    let mut stream = tokenizer.token_stream(text);
    let mut latest_start = 0;
    while stream.advance() {
        let token = stream.token();
        assert!(token.offset_to >= latest_start, "{text:?}: {:?} ends before an earlier token starts at {latest_start}", token.text);
        latest_start = latest_start.max(token.offset_from);
    }
}

#[test]
fn offsets_never_go_back_for_network_words() {
    for text in [
        "ip address 10.0.0.1 255.255.255.0 and 10.0.0.0/24",
        "ipv6 address 2001:db8::1/64 fe80::1",
        "interface GigabitEthernet0/1.100 xe-0/0/0.0 Eth1/1 Port-channel10",
        "mac aa:bb:cc:dd:ee:ff aabb.ccdd.eeff AA-BB-CC-DD-EE-FF",
        "neighbor 192.0.2.1 remote-as 65001 AS65001 core-sw1.example.net",
        "set interfaces ge-0/0/1 unit 0 family inet address 198.51.100.1/30",
    ] {
        assert_offsets_never_go_back(text);
    }
}

proptest! {
    #[test]
    fn offsets_never_go_back_for_any_text(text in "[a-zA-Z0-9./:_ -]{0,80}") {
        assert_offsets_never_go_back(&text);
    }
}

proptest! {
    #[test]
    fn a_reused_tokenizer_cuts_each_text_like_a_fresh_one(texts in prop::collection::vec("[a-zA-Z0-9é./:_ -]{0,60}", 1..6)) {
        for mode in [TokenizerMode::Index, TokenizerMode::Query] {
            let mut reused = NetTokenizer::new(mode);
            for text in &texts {
                let fresh = NetTokenizer::new(mode).token_texts(text);
                prop_assert_eq!(reused.token_texts(text), fresh);
            }
        }
    }
}

/// Words of every network shape, in any case and notation.
fn network_word() -> impl Strategy<Value = String> {
    let v4 = (ipv4(), prop::option::of(0u8..=40), any::<bool>()).prop_map(|(a, len, port)| {
        let addr = format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
        match (len, port) {
            (Some(len), false) => format!("{addr}/{len}"),
            (Some(len), true) => format!("{addr}:{len}"),
            (None, _) => addr,
        }
    });
    let v6 = (any::<[u16; 8]>(), any::<u8>(), 0usize..3, prop::option::of(0u8..=130)).prop_map(|(mut groups, zeros, style, len)| {
        for (i, g) in groups.iter_mut().enumerate() {
            if zeros & (1 << i) != 0 {
                *g = 0;
            }
        }
        let addr = match style {
            0 => std::net::Ipv6Addr::from(groups).to_string(),
            1 => groups.iter().map(|g| format!("{g:04X}")).collect::<Vec<_>>().join(":"),
            _ => groups.iter().map(|g| format!("{g:x}")).collect::<Vec<_>>().join(":"),
        };
        len.map_or(addr.clone(), |len| format!("{addr}/{len}"))
    });
    let mac = (any::<[u8; 6]>(), 0usize..4, any::<bool>()).prop_map(|(bytes, notation, upper)| {
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let written = mac_in(&hex, notation);
        if upper { written.to_uppercase() } else { written }
    });
    let names = vec!["GigabitEthernet", "Gi", "TenGigabitEthernet", "Te", "Port-channel", "Po", "Loopback", "lo", "Vlan", "xe-", "ge-", "Eth", "Ethernet", "et"];
    let interface = (prop::sample::select(names), prop::collection::vec(0u16..4096, 1..4), prop::option::of(0u16..1000))
        .prop_map(|(name, slots, unit)| {
            let number = slots.iter().map(u16::to_string).collect::<Vec<_>>().join("/");
            unit.map_or(format!("{name}{number}"), |u| format!("{name}{number}.{u}"))
        });
    prop_oneof![v4, v6, mac, interface, (0u32..=u32::MAX).prop_map(|n| format!("AS{n}")), "[a-zA-Z0-9]{1,8}(\\.[a-zA-Z0-9-]{1,8}){0,3}", "[a-zA-Z0-9./:_-]{1,20}"]
}

proptest! {
    #[test]
    fn every_index_token_of_a_word_has_an_anchor_in_it(words in prop::collection::vec(network_word(), 1..8)) {
        let text = words.join(" ");
        let lower = text.to_ascii_lowercase();
        let mut tokenizer = NetTokenizer::new(TokenizerMode::Index);
        for chunk in split::chunks(&text) {
            let word = &lower[chunk.from..chunk.from + chunk.text.len()];
            for token in tokenizer.token_texts(chunk.text) {
                prop_assert!(anchors(&token).iter().any(|a| word.contains(a)), "{:?} from {:?}: no anchor of {:?}", token, word, anchors(&token));
            }
        }
    }
}
