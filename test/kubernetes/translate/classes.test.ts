import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from '../../../src/kubernetes/objects.js';
import { ingressClassOf, isIngressServed, translate } from '../../../src/kubernetes/translate/index.js';

function ingress(name: string, field?: string, annotation?: string): Ingress {
  return {
    metadata: { namespace: 'default', name, ...(annotation !== undefined && { annotations: { 'kubernetes.io/ingress.class': annotation } }) },
    spec: { ...(field !== undefined && { ingressClassName: field }) },
  };
}

function ingressClass(name: string, controller: string, isDefault: boolean): IngressClass {
  return {
    metadata: { name, ...(isDefault && { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }) },
    spec: { controller },
  };
}

describe('ingressClassOf', () => {
  it('prefers the annotation over the field, and ignores empty values', () => {
    expect(ingressClassOf(ingress('a', 'field'))).toBe('field');
    expect(ingressClassOf(ingress('a', 'field', 'annotated'))).toBe('annotated');
    expect(ingressClassOf(ingress('a', 'field', ''))).toBe('field');
    expect(ingressClassOf(ingress('a', '', ' '))).toBeUndefined();
    expect(ingressClassOf(ingress('a'))).toBeUndefined();
  });
});

describe('isIngressServed', () => {
  it('serves listed classes only', () => {
    const sel = { classes: ['skiff', 'internal'], ingressClasses: [] };
    expect(isIngressServed(ingress('a', 'skiff'), sel)).toBe(true);
    expect(isIngressServed(ingress('a', 'internal'), sel)).toBe(true);
    expect(isIngressServed(ingress('a', 'nginx'), sel)).toBe(false);
    expect(isIngressServed(ingress('a'), sel)).toBe(false);
    expect(isIngressServed(ingress('a'), { ...sel, acceptClassless: true })).toBe(true);
  });

  it('serves class-less Ingresses when a served class is the cluster default', () => {
    const classes = [ingressClass('skiff', 'example.com/other', true)];
    expect(isIngressServed(ingress('a'), { classes: ['skiff'], ingressClasses: classes })).toBe(true);
    expect(isIngressServed(ingress('a'), { classes: ['internal'], ingressClasses: classes })).toBe(false);
  });

  it('serves the default class when its controller is ours, unless told not to', () => {
    const classes = [ingressClass('platform', 'zalando.org/skiff', true)];
    const sel = { classes: ['skiff'], ingressClasses: classes };
    expect(isIngressServed(ingress('a', 'platform'), sel)).toBe(true);
    expect(isIngressServed(ingress('a'), sel)).toBe(true);
    expect(isIngressServed(ingress('a', 'platform'), { ...sel, acceptDefaultClass: false })).toBe(false);
    expect(isIngressServed(ingress('a'), { ...sel, acceptDefaultClass: false })).toBe(false);
    expect(isIngressServed(ingress('a', 'platform'), { ...sel, controllers: ['example.com/mine'] })).toBe(false);
  });

  it('does not serve a non-default class of our controller that is not listed', () => {
    const classes = [ingressClass('legacy', 'zalando.org/skiff', false)];
    expect(isIngressServed(ingress('a', 'legacy'), { classes: ['skiff'], ingressClasses: classes })).toBe(false);
  });
});

describe('translate: served', () => {
  it('lists the Ingresses of the served classes, sorted, even those whose routes were set aside', () => {
    const snapshot = {
      ingresses: [ingress('zeta', 'skiff'), ingress('other', 'nginx'), { ...ingress('alpha', 'skiff'), metadata: { namespace: 'apps', name: 'alpha' } }],
      services: [],
      endpointSlices: [],
      ingressClasses: [],
    };
    const result = translate(snapshot, { ingressClasses: ['skiff'], healthcheck: false });
    expect(result.served).toEqual([
      { namespace: 'apps', name: 'alpha' },
      { namespace: 'default', name: 'zeta' },
    ]);
    expect(result.routes).toEqual([]);
  });
});
