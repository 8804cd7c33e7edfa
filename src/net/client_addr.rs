//! Which client a request comes from: the socket's peer address, or — only when that peer
//! is a configured trusted proxy — the address the proxy reports in `X-Forwarded-For`.
//! Login throttling keys on it, so a forged header from an untrusted peer must change
//! nothing.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

/// An address range, `192.0.2.0/24` or a single address (`10.0.0.1`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = (prefix / 8) as usize;
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

impl FromStr for IpNet {
    type Err = String;
    fn from_str(s: &str) -> Result<IpNet, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("'{s}' is not an IP address or CIDR range"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}' has an invalid prefix length"))?,
        };
        Ok(IpNet { addr, prefix })
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what a dual-stack socket reports) are
/// the IPv4 client they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The client address of a request, as resolved by the accept loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// For callers with no socket (in-process use, the router driven without `serve`):
    /// one shared "client".
    pub const UNKNOWN: ClientIp = ClientIp(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
}

/// The peer itself unless it is a trusted proxy; then the rightmost `X-Forwarded-For`
/// entry that is not a trusted proxy (each proxy appends the address it saw, so entries
/// left of an untrusted one may be forged by the client).
pub fn resolve(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> ClientIp {
    let peer = canonical(peer.ip());
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return ClientIp(peer);
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // Garbage from the proxy chain: stop at the last address we could trust.
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    ClientIp(client)
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`[::1]:80`, `1.2.3.4:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientIp, Infallible> {
        Ok(client_of(&parts.extensions))
    }
}

/// The resolved client of a request; the bare peer when only `ConnectInfo` was set.
pub fn client_of(extensions: &axum::http::Extensions) -> ClientIp {
    if let Some(ip) = extensions.get::<ClientIp>() {
        return *ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| ClientIp(canonical(c.0.ip())))
        .unwrap_or(ClientIp::UNKNOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().expect("header"));
        h
    }

    #[test]
    fn ranges_parse_and_match() {
        let net: IpNet = "10.1.0.0/16".parse().expect("cidr");
        assert!(net.contains("10.1.200.3".parse().expect("ip")));
        assert!(!net.contains("10.2.0.1".parse().expect("ip")));
        let one: IpNet = "127.0.0.2".parse().expect("ip");
        assert!(one.contains("::ffff:127.0.0.2".parse().expect("mapped")));
        assert!(!one.contains("127.0.0.1".parse().expect("ip")));
        let v6: IpNet = "fd00::/8".parse().expect("v6");
        assert!(v6.contains("fd12::1".parse().expect("ip")));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("proxy.example".parse::<IpNet>().is_err());
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let peer: SocketAddr = "127.0.0.2:5000".parse().expect("addr");
        let h = headers("203.0.113.9, 198.51.100.7");
        assert_eq!(resolve(peer, &h, &[]).0, peer.ip());
        let trusted = ["127.0.0.2".parse().expect("net")];
        assert_eq!(
            resolve(peer, &h, &trusted).0,
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        // A chain of trusted proxies is skipped from the right.
        let trusted = [
            "127.0.0.2".parse().expect("net"),
            "10.0.0.0/8".parse().expect("net"),
        ];
        let h = headers("203.0.113.9, 198.51.100.7, 10.0.0.5");
        assert_eq!(
            resolve(peer, &h, &trusted).0,
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        // No header: the proxy is the client.
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted).0, peer.ip());
    }
}
