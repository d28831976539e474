"""The eight 环节 of MIIT's 智能制造典型场景参考指引, recorded on every template."""

from __future__ import annotations

STAGES: dict[str, tuple[str, str]] = {
    "factory_build": ("工厂建设", "Factory construction"),
    "product_rd": ("产品研发", "Product R&D"),
    "process_design": ("工艺设计", "Process design"),
    "production_mgmt": ("生产管理", "Production management"),
    "production_ops": ("生产作业", "Production operations"),
    "operations_mgmt": ("运营管理", "Operations management"),
    "product_service": ("产品服务", "Product service"),
    "supply_chain": ("供应链管理", "Supply-chain management"),
}

STAGE_CODES = tuple(STAGES)
