// Share URLs from fake interface tables: private IPv4 first, virtual/loopback/link-local skipped, .local last.
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, test } from 'node:test';
import {
  isPrivateIPv4,
  isVirtualAdapter,
  mdnsName,
  shareUrls,
} from '../../server/core/lan-urls.ts';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask: '255.255.255.0',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: null,
  };
}
function v6(address: string): NetworkInterfaceInfo {
  return {
    address,
    netmask: 'ffff::',
    family: 'IPv6',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: null,
    scopeid: 0,
  };
}

describe('shareUrls', () => {
  test('a typical laptop with Docker, a VPN and Wi-Fi', () => {
    const urls = shareUrls({
      interfaces: {
        lo: [v4('127.0.0.1', true), v6('::1')],
        docker0: [v4('172.17.0.1')],
        'br-1a2b3c': [v4('172.18.0.1')],
        veth12ab: [v4('169.254.10.1')],
        wg0: [v4('10.8.0.2')],
        utun3: [v4('100.64.0.5')],
        tailscale0: [v4('100.100.1.1')],
        vboxnet0: [v4('192.168.56.1')],
        enp0s31f6: [v4('203.0.113.7'), v6('2001:db8::7')],
        wlp2s0: [v4('192.168.1.23'), v6('fe80::1')],
        eth1: [v4('169.254.3.3')],
      },
      hostname: 'studio.example.org',
      port: 8080,
      key: 'abc',
      host: '0.0.0.0',
    });
    assert.deepEqual(urls, [
      'http://192.168.1.23:8080/?key=abc',
      'http://203.0.113.7:8080/?key=abc',
      'http://studio.local:8080/?key=abc',
    ]);
  });

  test('private ranges come first whatever the interface order', () => {
    const urls = shareUrls({
      interfaces: {
        a: [v4('8.8.4.4')],
        b: [v4('10.1.2.3')],
        c: [v4('172.20.0.9')],
        d: [v4('172.32.0.1')],
      },
      hostname: 'box',
      port: 1,
      key: null,
      host: '0.0.0.0',
    });
    assert.deepEqual(urls, [
      'http://10.1.2.3:1/',
      'http://172.20.0.9:1/',
      'http://8.8.4.4:1/',
      'http://172.32.0.1:1/',
      'http://box.local:1/',
    ]);
  });

  test('keys are URL-encoded; a specific bind address is the only URL', () => {
    assert.deepEqual(
      shareUrls({
        interfaces: { eth0: [v4('192.168.0.2')] },
        hostname: 'h',
        port: 9,
        key: 'a b&c',
        host: '127.0.0.1',
      }),
      ['http://127.0.0.1:9/?key=a%20b%26c'],
    );
    assert.deepEqual(
      shareUrls({ interfaces: {}, hostname: 'h', port: 9, key: null, host: '::1' }),
      ['http://[::1]:9/'],
    );
  });

  test('no usable interface still leaves the .local name; odd host names leave nothing', () => {
    assert.deepEqual(
      shareUrls({
        interfaces: { lo: [v4('127.0.0.1', true)] },
        hostname: 'pi',
        port: 80,
        key: null,
        host: '::',
      }),
      ['http://pi.local:80/'],
    );
    assert.deepEqual(
      shareUrls({ interfaces: {}, hostname: 'weird_name!', port: 80, key: null, host: '0.0.0.0' }),
      [],
    );
  });
});

test('helpers', () => {
  assert.equal(isPrivateIPv4('192.168.0.1'), true);
  assert.equal(isPrivateIPv4('172.15.0.1'), false);
  assert.equal(isPrivateIPv4('172.31.255.1'), true);
  assert.equal(isPrivateIPv4('11.0.0.1'), false);
  for (const name of [
    'docker0',
    'veth9',
    'br-x',
    'vmnet8',
    'utun0',
    'tun0',
    'tap1',
    'wg0',
    'vEthernet (WSL)',
  ]) {
    assert.equal(isVirtualAdapter(name), true, name);
  }
  for (const name of ['eth0', 'en0', 'wlan0', 'Wi-Fi', 'Ethernet 2']) {
    assert.equal(isVirtualAdapter(name), false, name);
  }
  assert.equal(mdnsName('MacBook-Pro.local'), 'MacBook-Pro.local');
  assert.equal(mdnsName('desk.lan'), 'desk.local');
});
