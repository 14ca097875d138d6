/**
 * An Ingress with a bad annotation fails closed through the whole Kubernetes path (fake API
 * server, real watch, translation, table, proxy): every route of that Ingress answers 500 with
 * the error code, none of its requests reaches its own pods or another Ingress's broader route,
 * the other Ingresses are untouched, and fixing the annotation brings the routes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expose, ingress, rule, send, servedBy, startCluster, startPod } from './harness.js';
import type { Cluster, Pod } from './harness.js';
import { ErrorCode } from '../../../src/errors.js';

describe('an Ingress with a bad annotation', () => {
  let cluster: Cluster;
  let admin: Pod;
  let site: Pod;

  beforeAll(async () => {
    cluster = await startCluster();
    admin = await startPod('admin');
    site = await startPod('site');
    expose(cluster.fake, [admin]);
    expose(cluster.fake, [site]);
    // the open site: every path of the host, and a host-less catch-all
    cluster.fake.create('ingresses', ingress('site', { rules: [rule('shop.example.org', [['/', 'Prefix', 'site']]), rule(undefined, [['/', 'Prefix', 'site']])] }));
    // the admin paths, guarded by a source range that cannot be read (/33)
    cluster.fake.create(
      'ingresses',
      ingress('admin', { rules: [rule('shop.example.org', [['/admin', 'Prefix', 'admin'], ['/internal', 'Exact', 'admin']])] }, {
        annotations: { 'nginx.ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/33' },
      }),
    );
    // a filter chain that parses but cannot be built
    cluster.fake.create(
      'ingresses',
      ingress('tools', { rules: [rule('tools.example.org', [['/', 'Prefix', 'admin']])] }, {
        annotations: { 'zalando.org/skipper-filter': 'ipAllowList("10.0.0.0/33")' },
      }),
    );
    await eventually(async () => (await send(cluster.url(), 'shop.example.org', '/admin/x')).status === 500, 'admin routes fail closed');
  });

  afterAll(async () => {
    await cluster?.close();
    await admin?.close();
    await site?.close();
  });

  it('answers 500 with the code on every route of that Ingress, and nothing reaches a pod', async () => {
    const before = admin.hits;
    for (const path of ['/admin/x', '/admin', '/internal']) {
      const a = await send(cluster.url(), 'shop.example.org', path);
      expect(a.status, path).toBe(500);
      expect(a.text, path).toContain(ErrorCode.InvalidIngress);
      expect(a.echo, path).toBeUndefined();
    }
    const tools = await send(cluster.url(), 'tools.example.org', '/anything');
    expect(tools.status).toBe(500);
    expect(tools.text).toContain(ErrorCode.InvalidArgs);
    expect(admin.hits).toBe(before);
  });

  it('leaves the other Ingresses alone', async () => {
    expect(await servedBy(cluster.url(), 'shop.example.org', '/shop')).toBe('site');
    // a path /internal/x is not the Exact path of the bad Ingress: the open site serves it
    expect(await servedBy(cluster.url(), 'shop.example.org', '/internal/x')).toBe('site');
    expect(await servedBy(cluster.url(), 'other.example.org', '/admin/x')).toBe('site');
  });

  it('lists the routes and the problem at /routes?invalid', async () => {
    const res = await fetch(`${cluster.supportUrl}/routes?invalid`, { headers: { accept: 'application/json' } });
    const listed = (await res.json()) as { id?: string; code: string; reason: string; failClosed?: boolean }[];
    const adminRoutes = listed.filter((r) => r.id?.startsWith('kube_conformance__admin__') === true);
    expect(adminRoutes.length).toBe(2);
    for (const r of adminRoutes) {
      expect(r.failClosed).toBe(true);
      expect(r.reason).toContain('whitelist-source-range');
    }
    expect(listed.some((r) => r.id === 'conformance/admin' && r.reason.includes('every route of the Ingress answers 500'))).toBe(true);
    expect(listed.some((r) => r.id?.startsWith('kube_conformance__tools__') === true && r.code === ErrorCode.InvalidArgs)).toBe(true);
  });

  it('serves the routes again once the annotation is fixed', async () => {
    cluster.fake.update(
      'ingresses',
      ingress('admin', { rules: [rule('shop.example.org', [['/admin', 'Prefix', 'admin'], ['/internal', 'Exact', 'admin']])] }, {
        annotations: { 'nginx.ingress.kubernetes.io/whitelist-source-range': '127.0.0.0/8' },
      }),
    );
    await eventually(async () => (await servedBy(cluster.url(), 'shop.example.org', '/admin/x')) === 'admin', 'admin routes served again');
  });
});
