"""揭榜挂帅 rounds: listings through 发榜 → 揭榜 → 评审 → 公示 → 挂帅 → 攻关 → 验收."""
