//! DHCPv4 over raw sockets between two namespaces: a client without an
//! address broadcasts, the server's raw `Socket4` receives it and answers at
//! the link layer; a unicast renewal is received exactly once.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::mpsc;
use std::time::Duration;

use kea_net::{
    Binding4, DhcpSocketType, IfaceMgr, MacAddr, OutboundInterface, RawSocket4, Reply4,
    RetryPolicy, UdpSocket4, open_sockets4, parse_specs, resolve4,
};
use tokio::time::timeout;

use crate::netns::{NetnsPair, can_run, in_netns, ip_in};

const SERVER_PORT: u16 = 10067;
const CLIENT_PORT: u16 = 10068;
const SERVER_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const CLIENT_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 50);
const WAIT: Duration = Duration::from_secs(5);

fn mac_of(ifname: &str) -> MacAddr {
    let mgr = IfaceMgr::detect().unwrap();
    mgr.get_by_name(ifname).unwrap().mac.unwrap()
}

#[test]
fn raw_socket_answers_addressless_client() {
    if !can_run("raw_socket_answers_addressless_client") {
        return;
    }
    let pair = NetnsPair::create();
    ip_in(
        &pair.server,
        &["addr", "add", "192.0.2.1/24", "dev", &pair.server_if],
    );

    let (ready_tx, ready_rx) = mpsc::channel::<MacAddr>();
    let server_if = pair.server_if.clone();
    let server = in_netns(&pair.server, move || async move {
        let mgr = IfaceMgr::detect().unwrap();
        let specs = parse_specs(&[server_if.as_str()]).unwrap();
        let sel = resolve4(&mgr, &specs, DhcpSocketType::Raw).unwrap();
        assert_eq!(sel.bindings.len(), 1, "{sel:?}");
        assert_eq!(sel.bindings[0].addr, SERVER_IP);
        let policy = RetryPolicy {
            require_all: true,
            ..RetryPolicy::default()
        };
        let mut opened = open_sockets4(&sel, DhcpSocketType::Raw, SERVER_PORT, &policy)
            .await
            .unwrap();
        let sock = opened.sockets.remove(0);
        // Like Kea, the port is held by a UDP socket on the address too.
        let clash = std::net::UdpSocket::bind((SERVER_IP, SERVER_PORT)).unwrap_err();
        assert_eq!(clash.kind(), std::io::ErrorKind::AddrInUse);
        let server_mac = sel.bindings[0].mac.unwrap();
        ready_tx.send(server_mac).unwrap();

        // 1. Broadcast DISCOVER from the address-less client.
        let q = timeout(WAIT, sock.recv()).await.expect("discover").unwrap();
        assert_eq!(q.payload, b"DISCOVER");
        assert_eq!(q.iface, server_if);
        assert_eq!(q.dst, SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT));
        assert_eq!(q.src.port(), CLIENT_PORT);
        assert_eq!(q.dst_mac, Some(MacAddr::BROADCAST));
        let client_mac = q.src_mac.unwrap();

        // 2. Broadcast OFFER to the client's MAC, then a unicast ACK to an
        //    address the client does not hold yet (only its MAC reaches it).
        for (payload, dst_ip) in [
            (&b"OFFER"[..], Ipv4Addr::BROADCAST),
            (b"ACK-UNICAST", CLIENT_IP),
        ] {
            sock.send(&Reply4 {
                payload,
                dst_ip,
                dst_port: CLIENT_PORT,
                dst_mac: Some(client_mac),
                src_ip: SERVER_IP,
                outbound: OutboundInterface::SameAsInbound,
            })
            .await
            .unwrap();
        }

        // 3. The unicast renewal arrives exactly once (the port-reserving
        //    UDP socket gets a copy, which must be discarded).
        let r = timeout(WAIT, sock.recv()).await.expect("renew").unwrap();
        assert_eq!(r.payload, b"RENEW");
        assert_eq!(r.src, SocketAddrV4::new(CLIENT_IP, CLIENT_PORT));
        assert_eq!(r.dst, SocketAddrV4::new(SERVER_IP, SERVER_PORT));
        assert!(
            timeout(Duration::from_millis(500), sock.recv())
                .await
                .is_err(),
            "renewal delivered twice, or a datagram to another port got through"
        );

        // 4. An answer without a MAC goes through the kernel (ARP, routing).
        sock.send(&Reply4 {
            payload: b"ACK-KERNEL",
            dst_ip: CLIENT_IP,
            dst_port: CLIENT_PORT,
            dst_mac: None,
            src_ip: SERVER_IP,
            outbound: OutboundInterface::SameAsInbound,
        })
        .await
        .unwrap();
    });

    let client_if = pair.client_if.clone();
    let client_ns = pair.client.clone();
    let client = in_netns(&pair.client, move || async move {
        let server_mac = ready_rx.recv_timeout(WAIT).expect("server ready");
        let my_mac = mac_of(&client_if);
        let ifindex = nix::net::if_::if_nametoindex(client_if.as_str()).unwrap();
        let udp = UdpSocket4::bind(Ipv4Addr::UNSPECIFIED, CLIENT_PORT, Some(&client_if)).unwrap();
        // A capture of everything to the client port, whatever the address.
        let capture = RawSocket4::open(
            &Binding4 {
                iface: client_if.clone(),
                ifindex,
                mac: Some(my_mac),
                addr: Ipv4Addr::UNSPECIFIED,
            },
            CLIENT_PORT,
        )
        .unwrap();

        let bcast = SocketAddrV4::new(Ipv4Addr::BROADCAST, SERVER_PORT);
        udp.send_to(b"DISCOVER", bcast, None, None).await.unwrap();

        // The OFFER reaches the UDP socket: the kernel verified the IP and
        // UDP checksums of the frame the server built.
        let mut buf = vec![0u8; 1500];
        let info = timeout(WAIT, udp.recv(&mut buf))
            .await
            .expect("offer")
            .unwrap();
        assert_eq!(&buf[..info.len], b"OFFER");
        assert_eq!(info.src, SocketAddrV4::new(SERVER_IP, SERVER_PORT));
        assert_eq!(info.dst, Ipv4Addr::BROADCAST);

        // The unicast ACK only shows at the link layer, to our MAC.
        let ack = loop {
            let f = timeout(WAIT, capture.recv())
                .await
                .expect("unicast ack")
                .unwrap();
            if f.payload == b"ACK-UNICAST" {
                break f;
            }
        };
        assert_eq!(ack.dst_mac, my_mac);
        assert_eq!(ack.src_mac, server_mac);
        assert_eq!(ack.src, SocketAddrV4::new(SERVER_IP, SERVER_PORT));
        assert_eq!(ack.dst, SocketAddrV4::new(CLIENT_IP, CLIENT_PORT));

        // Take the address, renew by unicast, and add noise to another port.
        ip_in(
            &client_ns,
            &["addr", "add", "192.0.2.50/24", "dev", &client_if],
        );
        let server = SocketAddrV4::new(SERVER_IP, SERVER_PORT);
        udp.send_to(b"RENEW", server, Some(CLIENT_IP), Some(ifindex))
            .await
            .unwrap();
        udp.send_to(
            b"NOISE",
            SocketAddrV4::new(SERVER_IP, SERVER_PORT + 100),
            None,
            None,
        )
        .await
        .unwrap();

        let info = timeout(WAIT, udp.recv(&mut buf))
            .await
            .expect("kernel ack")
            .unwrap();
        assert_eq!(&buf[..info.len], b"ACK-KERNEL");
        assert_eq!(info.src, SocketAddrV4::new(SERVER_IP, SERVER_PORT));
        assert_eq!(info.dst, CLIENT_IP);
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
