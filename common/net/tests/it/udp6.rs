//! DHCPv6 over UDP between two namespaces: a link socket receives a
//! multicast to ff02::1:2 and a unicast to the link-local address, and
//! answers from its link-local address.

use std::net::{Ipv6Addr, SocketAddrV6};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kea_net::udp::ALL_DHCP_RELAY_AGENTS_AND_SERVERS;
use kea_net::{
    IfaceMgr, Listen6, Reply6, RetryPolicy, UdpSocket6, open_sockets6, parse_specs, resolve6,
};
use tokio::time::timeout;

use crate::netns::{NetnsPair, can_run, in_netns};

const SERVER_PORT: u16 = 10547;
const CLIENT_PORT: u16 = 10546;
const WAIT: Duration = Duration::from_secs(5);

/// Waits until `ifname` has a link-local address.
fn link_local(ifname: &str) -> Ipv6Addr {
    let deadline = Instant::now() + WAIT;
    loop {
        let mgr = IfaceMgr::detect().unwrap();
        if let Some(ll) = mgr.get_by_name(ifname).and_then(|i| i.link_local6()) {
            return ll;
        }
        assert!(
            Instant::now() < deadline,
            "no link-local address on {ifname}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn link_socket_multicast_and_unicast() {
    if !can_run("link_socket_multicast_and_unicast") {
        return;
    }
    let pair = NetnsPair::create();

    let (ready_tx, ready_rx) = mpsc::channel::<Ipv6Addr>();
    let server_if = pair.server_if.clone();
    let server = in_netns(&pair.server, move || async move {
        let ll = link_local(&server_if);
        let mgr = IfaceMgr::detect().unwrap();
        let sel = resolve6(&mgr, &parse_specs(&[server_if.as_str()]).unwrap()).unwrap();
        assert_eq!(sel.bindings.len(), 1);
        assert_eq!(sel.bindings[0].listen, Listen6::Link);
        let policy = RetryPolicy {
            require_all: true,
            ..RetryPolicy::default()
        };
        let mut opened = open_sockets6(&sel, SERVER_PORT, &policy).await.unwrap();
        let sock = opened.sockets.remove(0);
        ready_tx.send(ll).unwrap();

        let q = timeout(WAIT, sock.recv()).await.expect("solicit").unwrap();
        assert_eq!(q.payload, b"SOLICIT");
        assert_eq!(q.dst, ALL_DHCP_RELAY_AGENTS_AND_SERVERS);
        assert!(q.src.ip().is_unicast_link_local());
        assert_eq!(q.src.port(), CLIENT_PORT);
        assert_eq!(q.reply_src(), Some(ll));
        sock.send(&Reply6 {
            payload: b"ADVERTISE",
            dst: q.src,
            src_ip: q.reply_src(),
        })
        .await
        .unwrap();

        let u = timeout(WAIT, sock.recv()).await.expect("request").unwrap();
        assert_eq!(u.payload, b"REQUEST");
        assert_eq!(u.dst, ll);
        assert!(
            timeout(Duration::from_millis(300), sock.recv())
                .await
                .is_err(),
            "delivered twice"
        );
    });

    let client_if = pair.client_if.clone();
    let client = in_netns(&pair.client, move || async move {
        let _my_ll = link_local(&client_if);
        let server_ll = ready_rx.recv_timeout(WAIT).expect("server ready");
        let ifindex = nix::net::if_::if_nametoindex(client_if.as_str()).unwrap();
        let udp =
            UdpSocket6::bind(Ipv6Addr::UNSPECIFIED, CLIENT_PORT, 0, Some(&client_if)).unwrap();
        let group = SocketAddrV6::new(ALL_DHCP_RELAY_AGENTS_AND_SERVERS, SERVER_PORT, 0, ifindex);
        udp.send_to(b"SOLICIT", group, None, Some(ifindex))
            .await
            .unwrap();

        let mut buf = vec![0u8; 1500];
        let info = timeout(WAIT, udp.recv(&mut buf))
            .await
            .expect("advertise")
            .unwrap();
        assert_eq!(&buf[..info.len], b"ADVERTISE");
        assert_eq!(*info.src.ip(), server_ll);
        assert_eq!(info.src.port(), SERVER_PORT);

        let server = SocketAddrV6::new(server_ll, SERVER_PORT, 0, ifindex);
        udp.send_to(b"REQUEST", server, None, None).await.unwrap();
    });

    let c = client.join();
    let s = server.join();
    drop(pair);
    if let Err(e) = c {
        std::panic::resume_unwind(e);
    }
    if let Err(e) = s {
        std::panic::resume_unwind(e);
    }
}
