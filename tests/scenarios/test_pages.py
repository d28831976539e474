def test_browse_lists_categories_and_templates(client, mini_taxonomy):
    html = client.get("/scenarios/").get_data(as_text=True)
    assert "机器视觉质量检测" in html
    assert "坯布疵点视觉检测" in html
    assert "/scenarios/T003" in html


def test_template_page_shows_prompts(client, mini_taxonomy):
    html = client.get("/scenarios/T001").get_data(as_text=True)
    assert "人工验布漏检多" in html
    assert "漏检率" in html
    assert "生产作业" in html


def test_template_page_in_english(client, mini_taxonomy):
    client.get("/lang/en")
    html = client.get("/scenarios/T001").get_data(as_text=True)
    assert "Grey-fabric defect detection" in html
    assert "Production operations" in html


def test_category_and_industry_pages(client, mini_taxonomy):
    assert "注塑件外观缺陷检测" in client.get("/scenarios/category/vision").get_data(as_text=True)
    html = client.get("/scenarios/industry/textile").get_data(as_text=True)
    assert "染料配方智能配比" in html and "注塑件外观缺陷检测" not in html


def test_unknown_codes_are_404(client, mini_taxonomy):
    assert client.get("/scenarios/T999").status_code == 404
    assert client.get("/scenarios/category/nope").status_code == 404
